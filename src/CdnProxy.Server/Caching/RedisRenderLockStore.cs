using CdnProxy.Core.Caching;
using StackExchange.Redis;

namespace CdnProxy.Server.Caching;

/// <summary>
/// Render locks in Redis: <c>SET {prefix}lock:… token NX PX ttl</c>; released (or replaced by the "not shared" marker)
/// only by the token's owner.
/// </summary>
public sealed class RedisRenderLockStore : IRenderLockStore
{
    /// <summary>The lock's value after a render too large for Redis (tokens are GUIDs, so never equal to it).</summary>
    public const string NotSharedMarker = "not-shared";

    private const string MarkNotSharedScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
        return 0
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private readonly RedisGuard _guard;
    private readonly string _prefix;

    public RedisRenderLockStore(RedisGuard guard, RedisCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _guard = guard;
        _prefix = options.KeyPrefix;
    }

    public async ValueTask<bool?> TryAcquireAsync(string lockName, string token, TimeSpan ttl)
    {
        RedisKey key = _prefix + lockName;
        return await _guard.RunAsync<bool?>(async db => await db.StringSetAsync(key, token, ttl, When.NotExists).ConfigureAwait(false), null)
            .ConfigureAwait(false);
    }

    public async ValueTask ReleaseAsync(string lockName, string token)
    {
        RedisKey[] keys = [_prefix + lockName];
        RedisValue[] args = [token];
        await _guard.RunEvenAfterGivingUpAsync(db => db.ScriptEvaluateAsync(ReleaseScript, keys, args)).ConfigureAwait(false);
    }

    public async ValueTask MarkNotSharedAsync(string lockName, string token, TimeSpan ttl)
    {
        RedisKey[] keys = [_prefix + lockName];
        RedisValue[] args = [token, NotSharedMarker, (long)ttl.TotalMilliseconds];
        await _guard.RunEvenAfterGivingUpAsync(db => db.ScriptEvaluateAsync(MarkNotSharedScript, keys, args)).ConfigureAwait(false);
    }

    public async ValueTask<RenderLockState?> GetStateAsync(string lockName)
    {
        RedisKey key = _prefix + lockName;
        return await _guard.RunAsync<RenderLockState?>(
            async db => (await db.StringGetAsync(key).ConfigureAwait(false)) switch
            {
                { IsNull: true } => RenderLockState.Free,
                var value when value == NotSharedMarker => RenderLockState.NotShared,
                _ => RenderLockState.Held,
            },
            null).ConfigureAwait(false);
    }
}
