using CdnProxy.Core.Caching;
using StackExchange.Redis;

namespace CdnProxy.Server.Caching;

/// <summary>Render locks in Redis: <c>SET {prefix}lock:… token NX PX ttl</c>; released only by the token's owner.</summary>
public sealed class RedisRenderLockStore : IRenderLockStore
{
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
        await _guard.RunAsync(db => db.ScriptEvaluateAsync(ReleaseScript, keys, args), null).ConfigureAwait(false);
    }

    public async ValueTask<bool?> IsHeldAsync(string lockName)
    {
        RedisKey key = _prefix + lockName;
        return await _guard.RunAsync<bool?>(async db => await db.KeyExistsAsync(key).ConfigureAwait(false), null).ConfigureAwait(false);
    }
}
