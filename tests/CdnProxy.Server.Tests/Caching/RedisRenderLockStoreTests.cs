using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Server.Caching;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnProxy.Server.Tests.Caching;

/// <summary>Render locks against a real redis-server whose lock key was replaced behind the holder's back.</summary>
public sealed class RedisRenderLockStoreTests : IAsyncLifetime, IDisposable
{
    private const string Lock = "lock:r:v2:demo:k1";
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    private readonly RedisServer _redis = new();
    private readonly CdnProxyCounters _counters = new();
    private readonly RedisTier _tier;
    private readonly IRenderLockStore _locks;

    public RedisRenderLockStoreTests()
    {
        var options = new RedisCacheOptions { Configuration = _redis.Configuration, KeyPrefix = "t:", TimeoutMilliseconds = 2000 };
        _tier = RedisTier.Create(options, _counters, TimeProvider.System, NullLoggerFactory.Instance);
        _locks = _tier.Locks!;
    }

    public async Task InitializeAsync() => await _tier.Connection!.Multiplexer;

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _tier.Dispose();
        _counters.Dispose();
        _redis.Dispose();
    }

    [Fact]
    public async Task LockReplacedByAnotherType_IsNeitherReleasedNorMarked_WithoutARedisFailure()
    {
        Assert.True(await _locks.TryAcquireAsync(Lock, "token", Ttl));
        await _redis.Database.KeyDeleteAsync("t:" + Lock);
        await _redis.Database.ListRightPushAsync("t:" + Lock, "token");

        await _locks.MarkNotSharedAsync(Lock, "token", Ttl);
        await _locks.ReleaseAsync(Lock, "token");

        Assert.Equal(0, _counters.Snapshot().RedisErrors);
        Assert.Equal(StackExchange.Redis.RedisType.List, await _redis.Database.KeyTypeAsync("t:" + Lock));
    }

    [Fact]
    public async Task LockHoldingAHugeValue_IsHeld_WithoutBeingSent()
    {
        await _redis.Database.ScriptEvaluateAsync(
            "redis.call('SET', KEYS[1], string.rep('x', 4 * 1024 * 1024), 'PX', 5000)", ["t:" + Lock]);
        var sentBefore = await _redis.BytesSentAsync();

        Assert.Equal(RenderLockState.Held, await _locks.GetStateAsync(Lock));

        Assert.InRange(await _redis.BytesSentAsync() - sentBefore, 0, 64 * 1024);
    }
}
