using System.Net;
using System.Text.Json;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Tests.Common;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CdnProxy.Server.Tests;

/// <summary>What a costly URL gets over HTTP: refused before decoding, or stopped at its deadline, never cached.</summary>
public sealed class RenderCostHttpTests : IClassFixture<CdnProxyFactory>
{
    private readonly CdnProxyFactory _factory;

    public RenderCostHttpTests(CdnProxyFactory factory)
    {
        _factory = factory;
    }

    [Fact]
    public async Task RotatedUpscale_IsRefusedWith422NamingTheStep_AndNeverRendered()
    {
        using var client = _factory.CreateClient();
        var before = _factory.Renderer.Renders;

        using var response = await client.GetAsync(new Uri("/v2/demo/t.resize(w:8000)~t.rotate(a:45)/photo-3mp-flower.jpg?dpr=5", UriKind.Relative));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("limit_exceeded", error.GetProperty("code").GetString());
        Assert.StartsWith("t.rotate would make the image", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, _factory.Renderer.Renders); // refused from the header, before the render queue
    }

    [Fact]
    public async Task RenderPastTheDeadline_Answers503RenderTimeout_AndIsNotCached()
    {
        // Well inside the 10-s deadline by its estimate (~0.5 s), so it is tried; the renderer's clock runs a
        // thousand times fast, so the deadline passes 10 ms into the render.
        using var server = new CdnProxyFactory();
        using var factory = server.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.RemoveAll<VipsImageRenderer>();
            services.AddSingleton(sp => new VipsImageRenderer(
                sp.GetRequiredService<ImageEncoder>(), new FastClock(), TimeSpan.FromSeconds(10), sp.GetRequiredService<RenderWatchdog>()));
        }));
        using var client = factory.CreateClient();
        var renderer = factory.Services.GetRequiredService<CountingImageRenderer>();
        var url = new Uri("/v2/demo/t.blur(s:100)~t.toFormat(f:png)/photo-3mp-flower.jpg", UriKind.Relative);

        using var first = await client.GetAsync(url);
        using var second = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("no-store", first.Headers.CacheControl?.ToString());
        Assert.NotNull(first.Headers.RetryAfter);
        Assert.Contains("render_timeout", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(2, renderer.Renders); // nothing was cached: the second request rendered (and timed out) again
    }

    [Fact]
    public async Task RenderEstimatedFarPastTheDeadline_IsRefusedWith422_AndNeverRendered()
    {
        using var factory = new CdnProxyFactory(new() { ["CdnProxy:Limits:RenderTimeout"] = "00:00:01" });
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/v2/demo/t.median(s:10)~t.median(s:10)~t.median(s:10)/photo-3mp-flower.jpg", UriKind.Relative));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("limit_exceeded", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, factory.Renderer.Renders); // refused from the header, before the render queue
    }

    /// <summary>Time as the renderer sees it, a thousand times faster than the wall clock.</summary>
    private sealed class FastClock : TimeProvider
    {
        public override long GetTimestamp() => base.GetTimestamp() * 1000;
    }
}
