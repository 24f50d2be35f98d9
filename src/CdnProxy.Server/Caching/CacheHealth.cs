using Polly.CircuitBreaker;

namespace CdnProxy.Server.Caching;

/// <summary>
/// The rendition cache's state for <c>/healthz/ready</c> and <c>/api/v1/stats</c>. A degraded cache (Redis down or
/// its breaker open) never makes the replica unready: requests still render.
/// </summary>
public sealed class CacheHealth
{
    private readonly RedisConnection? _connection;
    private readonly RedisGuard? _guard;

    public CacheHealth(RedisTier redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _connection = redis.Connection;
        _guard = redis.Guard;
    }

    /// <summary><c>off</c> (no Redis configured), <c>ok</c>, or <c>degraded</c> (serving from memory and rendering).</summary>
    public string Status => _guard is null ? "off"
        : _connection?.IsConnected == true && _guard.BreakerState == CircuitState.Closed ? "ok"
        : "degraded";

    /// <summary><c>closed</c>, <c>open</c>, <c>half-open</c> or <c>isolated</c>; <c>off</c> without Redis.</summary>
    public string Breaker => _guard?.BreakerState switch
    {
        null => "off",
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half-open",
        _ => "isolated",
    };

    public bool RedisConnected => _connection?.IsConnected == true;
}
