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

    // A lock is taken when free, and also when its key holds what no replica writes there (another type, a key that
    // never expires or expires later than a lock does: another program, an operator, an older deployment). Such a
    // key is never released: every request for the rendition would wait the whole LockWaitMilliseconds, for ever.
    private const string AcquireScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        local ttl = redis.call('PTTL', KEYS[1])
        if redis.call('TYPE', KEYS[1]).ok == 'string' and ttl >= 0 and ttl <= tonumber(ARGV[2]) then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    // The lock's value; false (free) for a key of another type, which GET could not read (the waiter then takes it
    // over), or for a key that never expires. A value longer than any token is held, and not sent.
    private const string StateScript = """
        if redis.call('TYPE', KEYS[1]).ok ~= 'string' or redis.call('PTTL', KEYS[1]) < 0 then return false end
        if redis.call('STRLEN', KEYS[1]) > 64 then return 'held' end
        return redis.call('GET', KEYS[1])
        """;

    private const string MarkNotSharedScript = """
        if redis.call('TYPE', KEYS[1]).ok == 'string' and redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
        return 0
        """;

    private const string ReleaseScript = """
        if redis.call('TYPE', KEYS[1]).ok == 'string' and redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
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
        RedisKey[] keys = [_prefix + lockName];
        RedisValue[] args = [token, (long)ttl.TotalMilliseconds];
        var acquired = await _guard.EvaluateAsync(AcquireScript, keys, args).ConfigureAwait(false);
        return acquired is null ? null : (long)acquired == 1;
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
        var value = await _guard.EvaluateAsync(StateScript, [_prefix + lockName], []).ConfigureAwait(false);
        return value switch
        {
            null => null,
            { IsNull: true } => RenderLockState.Free,
            _ when (string?)value == NotSharedMarker => RenderLockState.NotShared,
            _ => RenderLockState.Held,
        };
    }
}
