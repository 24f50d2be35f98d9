using System.Runtime.CompilerServices;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;

namespace CdnProxy.Server.Caching;

/// <summary>
/// The Redis side of the cache, built once from options: connection, guard, rendition tier and render locks, or
/// nothing at all when <c>CdnProxy:Cache:Redis:Configuration</c> is empty.
/// </summary>
/// <remarks>
/// Everything a caller sees is typed by our own interfaces, never by a Redis or Polly type: the runtime loads an
/// assembly as soon as it compiles code that names one of its types, and a replica without Redis should not carry the
/// client's code and types in its memory (~1.5 MB with Polly, measured in /proc/PID/smaps).
/// </remarks>
public sealed class RedisTier : IDisposable
{
    private RedisTier(RedisConnection? connection, ISharedRenditionCache? cache, IRenderLockStore? locks, IRedisStatus? status, IPurgeListener? purges)
    {
        Connection = connection;
        Cache = cache;
        Locks = locks;
        Status = status;
        Purges = purges;
    }

    /// <summary>The connection, for tracing only (naming its multiplexer loads the Redis client).</summary>
    public RedisConnection? Connection { get; }

    public ISharedRenditionCache? Cache { get; }

    public IRenderLockStore? Locks { get; }

    /// <summary>Connection and breaker state for health and stats; null without Redis.</summary>
    public IRedisStatus? Status { get; }

    /// <summary>The purge channel's listener; null without Redis.</summary>
    public IPurgeListener? Purges { get; }

    public static RedisTier Create(RedisCacheOptions options, CdnProxyCounters counters, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        return options.Enabled ? Connect(options, counters, time, loggers) : new RedisTier(null, null, null, null, null);
    }

    // Separate and never inlined: compiling Create must not load the Redis client when Redis is off.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RedisTier Connect(RedisCacheOptions options, CdnProxyCounters counters, TimeProvider time, ILoggerFactory loggers)
    {
        var connection = new RedisConnection(options, loggers.CreateLogger<RedisConnection>());
        var guard = new RedisGuard(
            connection.GetDatabase,
            options,
            counters,
            time,
            loggers.CreateLogger<RedisGuard>());
        var cache = new RedisRenditionCache(guard, connection, options, loggers.CreateLogger<RedisRenditionCache>());
        return new RedisTier(connection, cache, new RedisRenderLockStore(guard, options), new RedisStatus(connection, guard), cache);
    }

    public void Dispose() => Connection?.Dispose();
}
