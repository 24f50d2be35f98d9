using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Server.Hosting;

namespace CdnProxy.Server.Caching;

/// <summary>Composition of the rendition cache tiers, the render coordinator and the counters.</summary>
public static class CachingServiceCollectionExtensions
{
    /// <summary>
    /// The in-process tier always; the Redis tier, the cross-replica render lock and the breaker only when
    /// <c>CdnProxy:Cache:Redis:Configuration</c> is set.
    /// </summary>
    public static IServiceCollection AddRenditionCaching(this IServiceCollection services)
    {
        services.AddSingleton(sp => new CdnProxyCounters(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => Options(sp).ToPolicy());
        services.AddSingleton(sp => new MemoryRenditionCache(Options(sp).Memory, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => RedisTier.Create(
            Options(sp).Redis,
            sp.GetRequiredService<CdnProxyCounters>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new TieredRenditionCache(
            sp.GetRequiredService<MemoryRenditionCache>(),
            sp.GetRequiredService<RedisTier>().Cache,
            sp.GetRequiredService<RenditionCachePolicy>(),
            sp.GetRequiredService<CdnProxyCounters>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<PendingPurges>()));
        services.AddSingleton<IRenditionCache>(sp => sp.GetRequiredService<TieredRenditionCache>());
        services.AddSingleton(sp =>
        {
            var redis = Options(sp).Redis;
            return new RenderCoordinator(
                sp.GetRequiredService<RedisTier>().Locks,
                new RenderLockOptions
                {
                    Ttl = TimeSpan.FromMilliseconds(redis.LockTtlMilliseconds),
                    MaxWait = TimeSpan.FromMilliseconds(redis.LockWaitMilliseconds),
                    PollInterval = TimeSpan.FromMilliseconds(redis.LockPollMilliseconds),
                    MaxSharedBytes = redis.MaxValueBytes,
                },
                sp.GetRequiredService<CdnProxyCounters>(),
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp => new CacheHealth(sp.GetRequiredService<RedisTier>()));
        services.AddHostedService<RedisStartupService>();
        services.AddHostedService<PendingPurgesService>();
        return services;
    }

    private static CacheOptions Options(IServiceProvider services) => services.GetRequiredService<CdnProxyOptions>().Cache;
}
