using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CdnProxy.Core.Caching;
using StackExchange.Redis;

namespace CdnProxy.Server.Caching;

/// <summary>
/// The shared rendition tier. Keys: <c>{prefix}r:v1:{cloud}:{hash}</c> (a <see cref="RenditionEnvelope"/> holding the
/// epoch it was rendered under, TTL with jitter), <c>{prefix}ep:{hash of original}</c> (the original's epoch token:
/// a purge replaces it, so every rendition of the original becomes a miss in one constant-time write) and
/// <c>{prefix}neg:{hash of original}</c> ("not found" at the origin). Purges are announced on <c>{prefix}purge</c>.
/// Every call goes through <see cref="RedisGuard"/>: a failing Redis is a miss, never an error.
/// </summary>
public sealed class RedisRenditionCache : ISharedRenditionCache, IPurgeListener
{
    // The original's epoch, or false when its key is absent or holds anything CdnProxy never writes there (another
    // type, or a string that is no epoch: another program sharing the Redis, an operator): such a key is no epoch,
    // and reading it with GET would fail the script, counted as a Redis failure for every request of the original.
    // The length is checked before the value is read.
    private const string CurrentEpochFunction = """
        local function current_epoch(key)
            if redis.call('TYPE', key).ok ~= 'string' or redis.call('STRLEN', key) > 64 then return false end
            local epoch = redis.call('GET', key)
            if epoch == '' or string.find(epoch, '[^%w_-]') then return false end
            return epoch
        end

        """;

    // The original's epoch, created when it has none (a key that holds no epoch is overwritten). A new epoch is random,
    // so when one is evicted or expires, the renditions stored under it stay misses for ever: a lost epoch never comes
    // back.
    private const string ReadEpochScript = CurrentEpochFunction + """
        local epoch = current_epoch(KEYS[1])
        if epoch then return epoch end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return ARGV[1]
        """;

    // The rendition and its original's epoch in one atomic read. A value longer than ARGV[1] is never sent (one
    // oversized value would time the read out, and the breaker would open again on every retry): it is deleted, and
    // only its length is answered. A key of another type is a miss (the next store overwrites it).
    private const string ReadScript = CurrentEpochFunction + """
        local epoch = current_epoch(KEYS[2])
        if redis.call('TYPE', KEYS[1]).ok ~= 'string' then return {false, epoch, 0} end
        local length = redis.call('STRLEN', KEYS[1])
        if length > tonumber(ARGV[1]) then
            redis.call('UNLINK', KEYS[1])
            return {false, epoch, length}
        end
        return {redis.call('GET', KEYS[1]), epoch, length}
        """;

    // Stores the value only while the original's epoch is still the one it was rendered under, and keeps the epoch
    // alive at least as long as the value.
    private const string StoreScript = CurrentEpochFunction + """
        if current_epoch(KEYS[2]) ~= ARGV[2] then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
        if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
        return 1
        """;

    // Remembers "not found" only while the original's epoch is still the one read before the fetch: a purge (after an
    // upload) that landed while the origin answered must not be followed by a stale "not found".
    private const string StoreMissingScript = CurrentEpochFunction + """
        if current_epoch(KEYS[2]) ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], 1, 'PX', ARGV[2])
        return 1
        """;

    // "Not found" is known only from an entry CdnProxy wrote: the string 1, expiring. Anything else there (another
    // type, no expiry: another program, an operator) would hide an existing file, for ever when it never expires; it
    // is ignored, and the next "not found" overwrites it.
    private const string IsKnownMissingScript = """
        if redis.call('TYPE', KEYS[1]).ok ~= 'string' or redis.call('PTTL', KEYS[1]) < 0 then return 0 end
        if redis.call('GET', KEYS[1]) == '1' then return 1 end
        return 0
        """;

    // Deletes a value of an outdated epoch unless it was replaced meanwhile (compares only its first bytes).
    private const string DeleteIfHeadScript = """
        if redis.call('TYPE', KEYS[1]).ok == 'string' and redis.call('GETRANGE', KEYS[1], 0, string.len(ARGV[1]) - 1) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    // A purge: a new epoch and no "not found" entry.
    private const string PurgeScript = """
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        redis.call('DEL', KEYS[2])
        return 1
        """;

    private readonly RedisGuard _guard;
    private readonly RedisConnection _connection;
    private readonly RedisCacheOptions _options;
    private readonly ILogger<RedisRenditionCache> _logger;
    private readonly RedisChannel _purgeChannel;
    private readonly List<(Action<string> OnPurged, Action OnMissed)> _purgeHandlers = [];

    public RedisRenditionCache(RedisGuard guard, RedisConnection connection, RedisCacheOptions options, ILogger<RedisRenditionCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _guard = guard;
        _connection = connection;
        _options = options;
        _logger = logger;
        _purgeChannel = RedisChannel.Literal(options.KeyPrefix + "purge");
    }

    public long MaxValueBytes => _options.MaxValueBytes;

    /// <summary>The longest value <see cref="SetAsync"/> can write: a body of <see cref="MaxValueBytes"/> in the largest envelope.</summary>
    private long LongestValueBytes => _options.MaxValueBytes + RenditionEnvelope.MaxHeaderBytes;

    /// <summary>The Redis key of a rendition.</summary>
    public RedisKey RenditionKeyOf(RenditionKey key) => _options.KeyPrefix + key.Value;

    /// <summary>The Redis key of an original's epoch.</summary>
    public RedisKey EpochKeyOf(string originalId) => _options.KeyPrefix + "ep:" + Hash(originalId);

    /// <summary>
    /// The rendition and its original's epoch in one round trip; a value of another epoch is a miss, and so is one
    /// longer than any rendition this tier stores (it is deleted without being read).
    /// </summary>
    public async ValueTask<Rendition?> TryGetAsync(RenditionKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var redisKey = RenditionKeyOf(key);
        RedisKey[] keys = [redisKey, EpochKeyOf(key.OriginalId)];
        RedisValue[] args = [LongestValueBytes];
        var read = await _guard.EvaluateAsync(ReadScript, keys, args).ConfigureAwait(false);
        if (read is null || (RedisValue[]?)read is not [var stored, var current, var length])
        {
            return null;
        }

        if ((long)length > LongestValueBytes)
        {
            CacheLog.OversizedValue(_logger, key.Value, (long)length, LongestValueBytes);
            return null;
        }

        if (stored.IsNull)
        {
            return null;
        }

        var value = (byte[])stored!;
        if (!RenditionEnvelope.TryRead(value, key.Value, out var rendition, out var epoch))
        {
            CacheLog.CorruptValue(_logger, key.Value, value.Length);
            await _guard.RunAsync(db => db.KeyDeleteAsync(redisKey), false).ConfigureAwait(false);
            return null;
        }

        // The script bounds the whole value; the body's own bound is exact only once the envelope is read.
        var oversized = rendition.Bytes.Length > _options.MaxValueBytes;
        if (oversized)
        {
            CacheLog.OversizedValue(_logger, key.Value, rendition.Bytes.Length, _options.MaxValueBytes);
        }

        if (oversized || current.IsNull || !string.Equals(epoch, (string?)current, StringComparison.Ordinal))
        {
            // Larger than this tier stores, or rendered before a purge (or its epoch was lost): never served; removed
            // unless already replaced.
            RedisValue head = RenditionEnvelope.Head(epoch);
            await _guard.EvaluateAsync(DeleteIfHeadScript, [redisKey], [head]).ConfigureAwait(false);
            return null;
        }

        return rendition;
    }

    public async ValueTask<string?> ReadEpochAsync(string originalId, CancellationToken cancellationToken)
    {
        RedisKey[] keys = [EpochKeyOf(originalId)];
        RedisValue[] args = [NewEpoch(), LongestTtlMilliseconds()];
        var epoch = await _guard.EvaluateAsync(ReadEpochScript, keys, args).ConfigureAwait(false);
        return epoch is null || epoch.IsNull ? null : (string?)epoch;
    }

    public async ValueTask SetAsync(RenditionKey key, Rendition rendition, string epoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(rendition);
        // The body is checked, before the envelope is built (a rendition over the bound is never copied): the render
        // coordinator uses the same bound to tell waiters not to wait for it.
        if (rendition.Bytes.Length > _options.MaxValueBytes)
        {
            return;
        }

        var value = RenditionEnvelope.Write(rendition, epoch, key.Value);
        RedisKey[] keys = [RenditionKeyOf(key), EpochKeyOf(key.OriginalId)];
        RedisValue[] args = [value, epoch, (long)JitteredTtl().TotalMilliseconds, LongestTtlMilliseconds()];
        await _guard.EvaluateAsync(StoreScript, keys, args).ConfigureAwait(false);
    }

    public async ValueTask<bool> IsKnownMissingAsync(string originalId, CancellationToken cancellationToken)
    {
        var known = await _guard.EvaluateAsync(IsKnownMissingScript, [NegativeKey(originalId)], []).ConfigureAwait(false);
        return known is not null && (long)known == 1;
    }

    public async ValueTask SetKnownMissingAsync(string originalId, TimeSpan ttl, string epoch, CancellationToken cancellationToken)
    {
        RedisKey[] keys = [NegativeKey(originalId), EpochKeyOf(originalId)];
        RedisValue[] args = [epoch, (long)ttl.TotalMilliseconds];
        await _guard.EvaluateAsync(StoreMissingScript, keys, args).ConfigureAwait(false);
    }

    public async ValueTask<bool> TryPurgeAsync(string originalId, CancellationToken cancellationToken)
    {
        RedisKey[] keys = [EpochKeyOf(originalId), NegativeKey(originalId)];
        RedisValue[] args = [NewEpoch(), LongestTtlMilliseconds()];
        var renewed = await _guard.EvaluateAsync(PurgeScript, keys, args).ConfigureAwait(false);
        if (renewed is null)
        {
            return false;
        }

        var told = await _guard.RunAsync<long?>(async db => await db.PublishAsync(_purgeChannel, originalId).ConfigureAwait(false), null).ConfigureAwait(false);
        return told is not null;
    }

    public void SubscribeToPurges(Action<string> onPurged, Action onPurgesMissed)
    {
        lock (_purgeHandlers)
        {
            _purgeHandlers.Add((onPurged, onPurgesMissed));
        }
    }

    /// <summary>
    /// Subscribes to the purge channel once the first connection attempt has ended. The client keeps the subscription
    /// and renews it after every reconnection, even when this first attempt fails.
    /// </summary>
    public async Task StartListeningAsync()
    {
        ConnectionMultiplexer multiplexer;
        try
        {
            multiplexer = await _connection.Multiplexer.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Without a client there is nothing to listen on (logged by RedisConnection); requests run without Redis.
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }

        // Purges published while this replica was cut off never reached it: its memory copies may be purged ones.
        multiplexer.ConnectionRestored += (_, e) => OnPurgesMissed(e.ConnectionType.ToString());
        try
        {
            await multiplexer.GetSubscriber().SubscribeAsync(_purgeChannel, (_, message) => OnPurged(message)).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            CacheLog.SubscribeFailed(_logger, e);
        }
    }

    private void OnPurged(RedisValue message)
    {
        if (message.IsNullOrEmpty)
        {
            return;
        }

        foreach (var (onPurged, _) in Handlers())
        {
            onPurged((string)message!);
        }
    }

    private void OnPurgesMissed(string connection)
    {
        CacheLog.PurgesMaybeMissed(_logger, connection);
        foreach (var (_, onMissed) in Handlers())
        {
            onMissed();
        }
    }

    private (Action<string> OnPurged, Action OnMissed)[] Handlers()
    {
        lock (_purgeHandlers)
        {
            return [.. _purgeHandlers];
        }
    }

    /// <summary>The longest a rendition can live (TTL plus the largest jitter): epochs live at least this long.</summary>
    private long LongestTtlMilliseconds() => (long)(_options.TtlSeconds * 1000.0 * (1 + (_options.TtlJitterPercent / 100.0))) + 1000;

    /// <summary>A fresh epoch token: random, so no purge ever brings an older epoch back.</summary>
    private static string NewEpoch() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    private TimeSpan JitteredTtl()
    {
        var spread = _options.TtlJitterPercent / 100.0;
#pragma warning disable CA5394 // Jitter spreads expiries; it needs no cryptographic randomness.
        var factor = 1 + (((Random.Shared.NextDouble() * 2) - 1) * spread);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(Math.Max(1000, _options.TtlSeconds * 1000.0 * factor));
    }

    private RedisKey NegativeKey(string originalId) => _options.KeyPrefix + "neg:" + Hash(originalId);

    /// <summary>Original ids are arbitrary paths: hashing bounds their key length and character set.</summary>
    private static string Hash(string originalId) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(originalId)));
}
