using System.Net;
using CdnProxy.Core;
using CdnProxy.Core.Origins;
using CdnProxy.Tests.Common;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Server.Tests.Caching;

/// <summary>Stale-if-error over HTTP: a stale copy is served briefly cacheable while the origin fails, then 502 no-store.</summary>
public sealed class StaleIfErrorHttpTests : IDisposable
{
    private const string Path = "/v2/demo/t.resize(w:30)/small.jpg";

    private readonly string _folder = Replica.CreateOriginFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task OriginFailingOnAStaleRendition_ServesItWithAShortCacheControl_ThenFailsWithNoStore()
    {
        var origin = new FakeOriginStore("demo").Add("small.jpg", File.ReadAllBytes(System.IO.Path.Combine(_folder, "small.jpg")));
        using var replica = new Replica(null, _folder, new()
        {
            ["CdnProxy:Cache:FreshSeconds"] = "1",
            ["CdnProxy:Cache:StaleIfErrorSeconds"] = "2",
        });
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = replica.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.RemoveAll<ICloudCatalog>();
            services.AddSingleton<ICloudCatalog>(origin);
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(time);
        }));
        using var client = factory.CreateClient();

        using var fresh = await client.GetAsync(new Uri(Path, UriKind.Relative));
        var bytes = await fresh.Content.ReadAsByteArrayAsync();
        time.Advance(TimeSpan.FromMilliseconds(1200));
        origin.Failure = CdnErrorKind.OriginFailed;
        using var stale = await client.GetAsync(new Uri(Path, UriKind.Relative));
        time.Advance(TimeSpan.FromMilliseconds(2000));
        using var gone = await client.GetAsync(new Uri(Path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Contains("max-age=86400", fresh.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal("public, max-age=60", stale.Headers.CacheControl?.ToString());
        Assert.False(stale.Headers.Contains("Warning"));
        Assert.Equal(bytes, await stale.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.BadGateway, gone.StatusCode);
        Assert.Equal("no-store", gone.Headers.CacheControl?.ToString());
        // The failed refresh is remembered (Cache:FailedFetchTtlSeconds, 5 s): the 502 answers it without a third call.
        Assert.Equal(2, origin.Fetches);
    }
}
