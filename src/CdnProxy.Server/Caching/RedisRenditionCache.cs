using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CdnProxy.Core.Caching;
using StackExchange.Redis;

namespace CdnProxy.Server.Caching;

/// <summary>
/// The shared rendition tier. Keys: <c>{prefix}r:v1:{cloud}:{hash}</c> (a <see cref="RenditionEnvelope"/>, TTL with
/// jitter), <c>{prefix}idx:{hash of original}</c> (the set of its rendition keys, for purges) and
/// <c>{prefix}neg:{hash of original}</c> ("not found" at the origin). Purges are announced on <c>{prefix}purge</c>.
/// Every call goes through <see cref="RedisGuard"/>: a failing Redis is a miss, never an error.
/// </summary>
public sealed class RedisRenditionCache : ISharedRenditionCache
{
    // Stores the value, indexes it under its original, and keeps the index alive as long as its longest member.
    private const string StoreScript = """
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        redis.call('SADD', KEYS[2], KEYS[1])
        if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
        return 1
        """;

    // Deletes every indexed rendition, the index and the negative entry; answers how many renditions existed.
    private const string PurgeScript = """
        local removed = 0
        for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do removed = removed + redis.call('DEL', key) end
        redis.call('DEL', KEYS[1], KEYS[2])
        return removed
        """;

    private readonly RedisGuard _guard;
    private readonly RedisConnection _connection;
    private readonly RedisCacheOptions _options;
    private readonly ILogger<RedisRenditionCache> _logger;
    private readonly RedisChannel _purgeChannel;
    private readonly List<Action<string>> _purgeHandlers = [];
    private int _subscribed;

    public RedisRenditionCache(RedisGuard guard, RedisConnection connection, RedisCacheOptions options, ILogger<RedisRenditionCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _guard = guard;
        _connection = connection;
        _options = options;
        _logger = logger;
        _purgeChannel = new RedisChannel(options.KeyPrefix + "purge", RedisChannel.PatternMode.Literal);
    }

    public long MaxValueBytes => _options.MaxValueBytes;

    /// <summary>The Redis key of a rendition.</summary>
    public RedisKey RenditionKeyOf(RenditionKey key) => _options.KeyPrefix + key.Value;

    public async ValueTask<Rendition?> TryGetAsync(RenditionKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var redisKey = RenditionKeyOf(key);
        var value = await _guard.RunAsync(async db => (byte[]?)await db.StringGetAsync(redisKey).ConfigureAwait(false), null).ConfigureAwait(false);
        if (value is null)
        {
            return null;
        }

        if (RenditionEnvelope.TryRead(value, out var rendition))
        {
            return rendition;
        }

        CacheLog.CorruptValue(_logger, key.Value, value.Length);
        await _guard.RunAsync(db => db.KeyDeleteAsync(redisKey), false).ConfigureAwait(false);
        return null;
    }

    public async ValueTask SetAsync(RenditionKey key, Rendition rendition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var value = RenditionEnvelope.Write(rendition);
        if (value.Length > _options.MaxValueBytes)
        {
            return;
        }

        var ttl = JitteredTtl();
        var longest = (long)(_options.TtlSeconds * 1000.0 * (1 + (_options.TtlJitterPercent / 100.0))) + 1000;
        RedisKey[] keys = [RenditionKeyOf(key), IndexKey(key.OriginalId)];
        RedisValue[] args = [value, (long)ttl.TotalMilliseconds, longest];
        await _guard.RunAsync(db => db.ScriptEvaluateAsync(StoreScript, keys, args), null).ConfigureAwait(false);
    }

    public async ValueTask<bool> IsKnownMissingAsync(string originalId, CancellationToken cancellationToken)
    {
        var key = NegativeKey(originalId);
        return await _guard.RunAsync(db => db.KeyExistsAsync(key), false).ConfigureAwait(false);
    }

    public async ValueTask SetKnownMissingAsync(string originalId, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var key = NegativeKey(originalId);
        await _guard.RunAsync(db => db.StringSetAsync(key, 1, ttl), false).ConfigureAwait(false);
    }

    public async ValueTask<long> PurgeAsync(string originalId, CancellationToken cancellationToken) =>
        await TryPurgeAsync(originalId, cancellationToken).ConfigureAwait(false) ?? 0;

    public async ValueTask<long?> TryPurgeAsync(string originalId, CancellationToken cancellationToken)
    {
        RedisKey[] keys = [IndexKey(originalId), NegativeKey(originalId)];
        var removed = await _guard.RunAsync<long?>(async db => (long)await db.ScriptEvaluateAsync(PurgeScript, keys).ConfigureAwait(false), null)
            .ConfigureAwait(false);
        if (removed is null)
        {
            return null;
        }

        var told = await _guard.RunAsync<long?>(async db => await db.PublishAsync(_purgeChannel, originalId).ConfigureAwait(false), null).ConfigureAwait(false);
        return told is null ? null : removed;
    }

    public void SubscribeToPurges(Action<string> onPurged)
    {
        lock (_purgeHandlers)
        {
            _purgeHandlers.Add(onPurged);
        }
    }

    /// <summary>
    /// Subscribes to the purge channel once the connection exists; retried on every reconnection until it succeeds
    /// (the client re-subscribes by itself after that).
    /// </summary>
    public async Task StartListeningAsync()
    {
        ConnectionMultiplexer multiplexer;
        try
        {
            multiplexer = await _connection.GetAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Without a multiplexer there is nothing to listen on; requests keep running without Redis.
        catch (Exception e)
#pragma warning restore CA1031
        {
            CacheLog.SubscribeFailed(_logger, e);
            return;
        }

        multiplexer.ConnectionRestored += (_, _) => _ = SubscribeOnceAsync(multiplexer);
        await SubscribeOnceAsync(multiplexer).ConfigureAwait(false);
    }

    private async Task SubscribeOnceAsync(ConnectionMultiplexer multiplexer)
    {
        if (Interlocked.CompareExchange(ref _subscribed, 1, 0) != 0)
        {
            return;
        }

        try
        {
            await multiplexer.GetSubscriber().SubscribeAsync(_purgeChannel, (_, message) => OnPurged(message)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Retried when the connection returns.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _subscribed, 0);
            CacheLog.SubscribeFailed(_logger, e);
        }
    }

    private void OnPurged(RedisValue message)
    {
        if (message.IsNullOrEmpty)
        {
            return;
        }

        Action<string>[] handlers;
        lock (_purgeHandlers)
        {
            handlers = [.. _purgeHandlers];
        }

        foreach (var handler in handlers)
        {
            handler((string)message!);
        }
    }

    private TimeSpan JitteredTtl()
    {
        var spread = _options.TtlJitterPercent / 100.0;
#pragma warning disable CA5394 // Jitter spreads expiries; it needs no cryptographic randomness.
        var factor = 1 + (((Random.Shared.NextDouble() * 2) - 1) * spread);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(Math.Max(1000, _options.TtlSeconds * 1000.0 * factor));
    }

    private RedisKey IndexKey(string originalId) => _options.KeyPrefix + "idx:" + Hash(originalId);

    private RedisKey NegativeKey(string originalId) => _options.KeyPrefix + "neg:" + Hash(originalId);

    /// <summary>Original ids are arbitrary paths: hashing bounds their key length and character set.</summary>
    private static string Hash(string originalId) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(originalId)));
}
