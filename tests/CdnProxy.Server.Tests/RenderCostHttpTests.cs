using System.Net;
using System.Text.Json;

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
        using var factory = new CdnProxyFactory(new() { ["CdnProxy:Limits:RenderTimeout"] = "00:00:00.001" });
        using var client = factory.CreateClient();
        var url = new Uri("/v2/demo/t.blur(s:100)~t.toFormat(f:png)/photo-3mp-flower.jpg", UriKind.Relative);

        using var first = await client.GetAsync(url);
        using var second = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("no-store", first.Headers.CacheControl?.ToString());
        Assert.NotNull(first.Headers.RetryAfter);
        Assert.Contains("render_timeout", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(2, factory.Renderer.Renders); // nothing was cached: the second request rendered (and timed out) again
    }
}
