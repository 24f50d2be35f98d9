using System.Net;

namespace CdnProxy.Server.Tests.Telemetry;

public sealed class ServerTimingSettingTests
{
    [Fact]
    public async Task ServerTimingOff_ImageResponsesCarryNoStageTimings()
    {
        using var factory = new CdnProxyFactory(new Dictionary<string, string?> { ["CdnProxy:Http:ServerTiming"] = "false" });
        var client = factory.CreateClient();

        using var miss = await client.GetAsync("/v2/demo/t.resize(w:61)/photo-3mp-flower.jpg");
        using var hit = await client.GetAsync("/v2/demo/t.resize(w:61)/photo-3mp-flower.jpg");

        Assert.Equal(HttpStatusCode.OK, miss.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.False(miss.Headers.Contains("Server-Timing"));
        Assert.False(hit.Headers.Contains("Server-Timing"));
    }
}
