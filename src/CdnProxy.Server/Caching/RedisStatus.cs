using Polly.CircuitBreaker;

namespace CdnProxy.Server.Caching;

/// <summary>Reads the connection and the guard's breaker (built only when Redis is configured).</summary>
internal sealed class RedisStatus(RedisConnection connection, RedisGuard guard) : IRedisStatus
{
    public bool IsConnected => connection.IsConnected;

    public bool IsHealthy => connection.IsConnected && guard.BreakerState == CircuitState.Closed;

    public string Breaker => guard.BreakerState switch
    {
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half-open",
        _ => "isolated",
    };
}
