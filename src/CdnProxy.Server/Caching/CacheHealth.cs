namespace CdnProxy.Server.Caching;

/// <summary>
/// The rendition cache's state for <c>/healthz/ready</c> and <c>/api/v1/stats</c>. A degraded cache (Redis down or
/// its breaker open) never makes the replica unready: requests still render.
/// </summary>
public sealed class CacheHealth
{
    private readonly IRedisStatus? _redis;

    public CacheHealth(RedisTier redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis.Status;
    }

    /// <summary><c>off</c> (no Redis configured), <c>ok</c>, or <c>degraded</c> (serving from memory and rendering).</summary>
    public string Status => _redis is null ? "off"
        : _redis.IsHealthy ? "ok"
        : "degraded";

    /// <summary><c>closed</c>, <c>open</c>, <c>half-open</c> or <c>isolated</c>; <c>off</c> without Redis.</summary>
    public string Breaker => _redis?.Breaker ?? "off";

    public bool RedisConnected => _redis?.IsConnected == true;
}
