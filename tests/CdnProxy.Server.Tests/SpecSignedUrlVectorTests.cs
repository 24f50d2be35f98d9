using System.Net;
using CdnProxy.Tests.Common;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CdnProxy.Server.Tests;

/// <summary>
/// The signed-URL vectors of pixelbin-url-spec.md §5.3, sent to the server at the time they were signed: each is
/// served, and the same URL one second past its expiry and the clock skew is refused.
/// </summary>
public sealed class SpecSignedUrlVectorTests : IDisposable
{
    private readonly string _origin = Directory.CreateTempSubdirectory("cdnproxy-spec-vectors-").FullName;
    private readonly SettableClock _clock = new();
    private readonly CdnProxyFactory _server;
    private readonly HttpClient _client;

    public SpecSignedUrlVectorTests()
    {
        Copy(TestImages.Flower, "__playground/playground-default.jpeg");
        Copy(TestImages.Flower, "folder/image.jpeg");
        Copy(TestImages.Sample("alpha-500-tulips.png"), "path/to/image.png");
        var settings = new Dictionary<string, string?>();
        foreach (var cloud in (string[])["dummy-cloudname", "test-cloud"])
        {
            settings[$"CdnProxy:Clouds:{cloud}:Origin:Type"] = "local";
            settings[$"CdnProxy:Clouds:{cloud}:Origin:Root"] = _origin;
            settings[$"CdnProxy:Clouds:{cloud}:RequireSignedUrls"] = "true";
        }

        settings["CdnProxy:Clouds:test-cloud:Zones:z-slug:Origin:Type"] = "local";
        settings["CdnProxy:Clouds:test-cloud:Zones:z-slug:Origin:Root"] = _origin;
        settings["CdnProxy:Signing:Keys:2:AccessKey"] = "0b55aaff-d7db-45f0-b556-9b45a6f2200e";
        settings["CdnProxy:Signing:Keys:2:Token"] = "dummy-token";
        settings["CdnProxy:Signing:Keys:3:AccessKey"] = "a1b2c3d4-0000-4000-8000-000000000001";
        settings["CdnProxy:Signing:Keys:3:Token"] = "secret-token-1";
        _server = new CdnProxyFactory(settings);
        _client = _server.WithWebHostBuilder(b => b.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock))).CreateClient();
    }

    public static TheoryData<string, long> Vectors => new()
    {
        {
            "/v2/dummy-cloudname/original/__playground/playground-default.jpeg?pbs=8eb6a00af74e57967a42316e4de238aa88d92961649764fad1832c1bff101f25&pbe=1695635915&pbt=0b55aaff-d7db-45f0-b556-9b45a6f2200e",
            1695635895
        },
        {
            "/v2/test-cloud/original/folder/image.jpeg?pbs=779ea45dfb37f58a631cfeae87a0196dbf4fca7cb6e80b4aabda80314769b2d3&pbe=1700003600&pbt=a1b2c3d4-0000-4000-8000-000000000001",
            1700000000
        },
        {
            "/v2/test-cloud/z-slug/t.resize(h:100,w:200)~t.flip()/path/to/image.png?dpr=2&f_auto=true&pbs=2bd676b9d3a8ffc35b3b9ae9ad589a16db4780e814f5dee54ff1d395ebe643a2&pbe=1700000060&pbt=ak-42",
            1700000000
        },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task SpecVector_IsServedUntilItsExpiryAndTheClockSkew(string url, long signedAtUnixSeconds)
    {
        var pbe = long.Parse(url[(url.IndexOf("&pbe=", StringComparison.Ordinal) + 5)..url.IndexOf("&pbt=", StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);

        _clock.Now = DateTimeOffset.FromUnixTimeSeconds(signedAtUnixSeconds);
        using var served = await _client.GetAsync(url);
        _clock.Now = DateTimeOffset.FromUnixTimeSeconds(pbe + 31);
        using var expired = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
        Directory.Delete(_origin, recursive: true);
    }

    private void Copy(string source, string relativePath)
    {
        var target = Path.Combine(_origin, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target);
    }

    /// <summary>Wall-clock time set by the test; timestamps and timers stay the system's.</summary>
    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
