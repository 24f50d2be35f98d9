using System.Diagnostics;
using CdnProxy.Core;
using CdnProxy.Server.Origins.Http;
using Microsoft.AspNetCore.Http;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>
/// Reliability checklist A: an HTTP origin never connects to loopback, private, link-local, CGNAT, metadata or
/// unique-local addresses, whether named directly, through DNS or through a redirect. A connection-counting listener
/// on the loopback port proves no socket reached it; the control tests show the same listener does see connections.
/// </summary>
public sealed class HttpOriginSsrfTests : IDisposable
{
    private readonly ConnectionCountingListener _listener = new();
    private readonly OriginTestServices _services;

    public HttpOriginSsrfTests()
    {
        _services = new OriginTestServices(resolver: HostileResolver.Instance);
    }

    public static TheoryData<string> ForbiddenHosts => new()
    {
        "127.0.0.1", "0.0.0.0", "[::]", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "169.254.169.254", "10.0.0.5",
        "100.64.0.1", "[fd00::1]", "localhost", "metadata.test", "ten.test", "cgnat.test", "ula.test", "loopback.test",
        "mapped.test", "zero.test", "mixed.test",
    };

    [Theory]
    [MemberData(nameof(ForbiddenHosts))]
    public async Task ForbiddenAddress_IsRefusedWithoutConnecting(string host)
    {
        var store = _services.Create(new HttpOriginOptions
        {
            BaseUrl = $"http://{host}:{_listener.Port}/images/" });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<CdnException>(() => store.FetchAsync("a.jpg", CancellationToken.None));

        Assert.Equal(CdnErrorKind.OriginRefused, error.Kind);
        Assert.DoesNotContain(host.Trim('[', ']'), error.Message, StringComparison.Ordinal);
        Assert.Contains("refused by the network policy", _services.Logs.All, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        await Task.Delay(100);
        Assert.Equal(0, _listener.Connections);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("[::ffff:127.0.0.1]")]
    [InlineData("localhost")]
    [InlineData("loopback.test")]
    public async Task Control_WithAllowPrivateNetworks_TheListenerSeesTheConnection(string host)
    {
        var store = _services.Create(new HttpOriginOptions
        {
            BaseUrl = $"http://{host}:{_listener.Port}/",
            AllowPrivateNetworks = true,
            TimeoutSeconds = 2,
        });

        // The listener closes every connection at once, so the fetch fails, but only after connecting.
        await Assert.ThrowsAsync<CdnException>(() => store.FetchAsync("a.jpg", CancellationToken.None));
        await WaitForAsync(() => _listener.Connections >= 1);
        Assert.True(_listener.Connections >= 1);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{listener}/latest")]
    [InlineData("http://[::1]:{listener}/latest")]
    [InlineData("http://[::ffff:127.0.0.1]:{listener}/latest")]
    [InlineData("http://localhost:{listener}/latest")]
    [InlineData("http://0.0.0.0:{listener}/latest")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://metadata.test:{listener}/latest/meta-data/")]
    [InlineData("http://ten.test:{listener}/")]
    [InlineData("http://cgnat.test:{listener}/")]
    [InlineData("http://ula.test:{listener}/")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://127.0.0.1:{listener}/")]
    [InlineData("ftp://127.0.0.1:{listener}/")]
    public async Task RedirectFromAnAllowedOrigin_ToAForbiddenTarget_IsRefusedWithoutConnecting(string location)
    {
        var target = location.Replace("{listener}", _listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await using var origin = await LoopbackHttpOrigin.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = target;
            return Task.CompletedTask;
        });
        using var services = new OriginTestServices(new OneLoopbackEndpointPolicy(origin.Port), HostileResolver.Instance);
        var store = services.Create(new HttpOriginOptions
        {
            BaseUrl = origin.BaseUrl.ToString() });

        var error = await Assert.ThrowsAsync<CdnException>(() => store.FetchAsync("a.jpg", CancellationToken.None));

        Assert.Equal(CdnErrorKind.OriginRefused, error.Kind);
        Assert.Equal(1, origin.Requests);
        await Task.Delay(100);
        Assert.Equal(0, _listener.Connections);
        Assert.DoesNotContain("latest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_RedirectToTheAllowedOrigin_IsFollowed()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            if (context.Request.Path == "/a.jpg")
            {
                context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
                context.Response.Headers.Location = "/moved/a.jpg";
                return;
            }

            await context.Response.Body.WriteAsync("moved body"u8.ToArray());
        });
        using var services = new OriginTestServices(new OneLoopbackEndpointPolicy(origin.Port));
        var store = services.Create(new HttpOriginOptions
        {
            BaseUrl = origin.BaseUrl.ToString() });

        using var fetched = await store.FetchAsync("a.jpg", CancellationToken.None);

        Assert.Equal("moved body"u8.ToArray(), fetched!.Content.ToArray());
        Assert.Equal(["/a.jpg", "/moved/a.jpg"], origin.Targets);
    }

    [Fact]
    public async Task Redirects_AreLimitedToThree_SoAtMostFourRequestsAreMade()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = context.Request.Path + "x";
            return Task.CompletedTask;
        });
        using var services = new OriginTestServices(new OneLoopbackEndpointPolicy(origin.Port));
        var store = services.Create(new HttpOriginOptions
        {
            BaseUrl = origin.BaseUrl.ToString() });

        var error = await Assert.ThrowsAsync<CdnException>(() => store.FetchAsync("a.jpg", CancellationToken.None));

        Assert.Equal(CdnErrorKind.OriginFailed, error.Kind);
        Assert.Equal(4, origin.Requests);
    }

    [Fact]
    public async Task WithAllowPrivateNetworks_ARedirectLeavingTheBaseUrlsHostAndPort_IsRefusedWithoutConnecting()
    {
        // Another service next to the origin (here: the counting listener, another port of the same host).
        await using var origin = await LoopbackHttpOrigin.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = $"http://127.0.0.1:{_listener.Port}/admin";
            return Task.CompletedTask;
        });
        using var services = new OriginTestServices(OriginAddressPolicy.AnyUnicast);
        var store = services.Create(new HttpOriginOptions { BaseUrl = origin.BaseUrl.ToString(), AllowPrivateNetworks = true });

        var error = await Assert.ThrowsAsync<CdnException>(() => store.FetchAsync("a.jpg", CancellationToken.None));

        Assert.Equal(CdnErrorKind.OriginRefused, error.Kind);
        Assert.Equal(1, origin.Requests);
        await Task.Delay(100);
        Assert.Equal(0, _listener.Connections);
    }

    [Fact]
    public async Task Control_WithAllowPrivateNetworks_ARedirectOnTheBaseUrlsHostAndPort_IsFollowed()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            if (context.Request.Path == "/a.jpg")
            {
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = $"http://127.0.0.1:{context.Connection.LocalPort}/moved/a.jpg";
                return;
            }

            await context.Response.Body.WriteAsync("moved body"u8.ToArray());
        });
        using var services = new OriginTestServices(OriginAddressPolicy.AnyUnicast);
        var store = services.Create(new HttpOriginOptions { BaseUrl = origin.BaseUrl.ToString(), AllowPrivateNetworks = true });

        using var fetched = await store.FetchAsync("a.jpg", CancellationToken.None);

        Assert.Equal("moved body"u8.ToArray(), fetched!.Content.ToArray());
    }

    [Fact]
    public async Task Redirect_ToAHostOutsideAllowedHosts_IsRefused()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = "http://elsewhere.test/a.jpg";
            return Task.CompletedTask;
        });
        using var services = new OriginTestServices(new OneLoopbackEndpointPolicy(origin.Port));
        var store = services.Create(new HttpOriginOptions
        {
            BaseUrl = origin.BaseUrl.ToString(),
            AllowedHosts = ["127.0.0.1"],
        });

        var error = await Assert.ThrowsAsync<CdnException>(() => store.FetchAsync("a.jpg", CancellationToken.None));

        Assert.Equal(CdnErrorKind.OriginRefused, error.Kind);
        Assert.Contains("AllowedHosts", services.Logs.All, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _services.Dispose();
        _listener.Dispose();
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 50 && !condition(); i++)
        {
            await Task.Delay(20);
        }
    }
}
