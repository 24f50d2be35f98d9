using System.Net;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Caching;

/// <summary>Redis is an optimisation: a replica starts, serves and is ready without it, and says the cache is degraded.</summary>
public sealed class CacheHealthTests : IDisposable
{
    private readonly string _origin = Replica.CreateOriginFolder();

    public void Dispose() => Directory.Delete(_origin, recursive: true);

    [Fact]
    public async Task WithoutRedisConfigured_ReadyReportsTheCacheOff()
    {
        using var replica = new Replica(null, _origin);

        using var ready = await replica.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"cache\":{\"status\":\"off\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedisUnreachableFromTheStart_ReplicaStartsServesAndIsReadyButDegraded()
    {
        using var closed = new RefusingPort();
        using var replica = new Replica(closed.Endpoint, _origin);

        using var image = await replica.GetAsync("/v2/shared/t.resize(w:30)/small.jpg");
        using var again = await replica.GetAsync("/v2/shared/t.resize(w:30)/small.jpg");
        using var ready = await replica.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, replica.Renders);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"status\":\"degraded\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
