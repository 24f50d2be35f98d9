using System.Net;

namespace CdnProxy.Server.Tests;

public sealed class HealthEndpointTests : IClassFixture<CdnProxyFactory>
{
    private readonly HttpClient _client;

    public HealthEndpointTests(CdnProxyFactory factory)
    {
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task Live_Returns200()
    {
        using var response = await _client.GetAsync("/healthz/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_RunsTheLibvipsProbeAndReportsItsVersion()
    {
        using var response = await _client.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"libvips\":\"8.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
