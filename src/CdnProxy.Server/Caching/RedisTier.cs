using System.Runtime.CompilerServices;
using CdnProxy.Core.Diagnostics;

namespace CdnProxy.Server.Caching;

/// <summary>
/// The Redis side of the cache, built once from options: connection, guard, rendition tier and render locks, or
/// nothing at all when <c>CdnProxy:Cache:Redis:Configuration</c> is empty.
/// </summary>
public sealed class RedisTier : IDisposable
{
    private RedisTier(RedisConnection? connection, RedisGuard? guard, RedisRenditionCache? cache, RedisRenderLockStore? locks)
    {
        Connection = connection;
        Guard = guard;
        Cache = cache;
        Locks = locks;
    }

    public RedisConnection? Connection { get; }

    public RedisGuard? Guard { get; }

    public RedisRenditionCache? Cache { get; }

    public RedisRenderLockStore? Locks { get; }

    public static RedisTier Create(RedisCacheOptions options, CdnProxyCounters counters, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        return options.Enabled ? Connect(options, counters, time, loggers) : new RedisTier(null, null, null, null);
    }

    // Separate and never inlined: compiling Create must not load the Redis client when Redis is off (its pages
    // would count towards every replica's memory for nothing).
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
        return new RedisTier(connection, guard, cache, new RedisRenderLockStore(guard, options));
    }

    public void Dispose() => Connection?.Dispose();
}
