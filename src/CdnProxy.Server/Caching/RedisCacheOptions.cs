namespace CdnProxy.Server.Caching;

/// <summary>The shared Redis rendition tier, bound from <c>CdnProxy:Cache:Redis</c>. Off while <see cref="Configuration"/> is empty.</summary>
public sealed class RedisCacheOptions
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>; empty turns the tier off.</summary>
    public string Configuration { get; set; } = string.Empty;

    /// <summary>Prefix of every key and channel, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "cdnproxy:";

    /// <summary>Lifetime of a rendition in Redis (14 days), spread by <see cref="TtlJitterPercent"/>.</summary>
    public int TtlSeconds { get; set; } = 14 * 24 * 3600;

    /// <summary>Random spread of the TTL, ± this percentage, so renditions made together do not expire together.</summary>
    public int TtlJitterPercent { get; set; } = 10;

    /// <summary>Largest rendition body stored; larger renditions are served but not stored in Redis, and larger values found there are misses.</summary>
    public long MaxValueBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest a request waits on Redis in all (see <see cref="RedisGuard"/>); also the client's own timeout (see <see cref="RedisConnection"/>).</summary>
    public int TimeoutMilliseconds { get; set; } = 250;

    /// <summary>Time allowed to (re)connect; requests never wait for it (a call made while disconnected fails at once).</summary>
    public int ConnectTimeoutMilliseconds { get; set; } = 2000;

    /// <summary>Lifetime of a render lock: a holder that dies or hangs loses it after this long.</summary>
    public int LockTtlMilliseconds { get; set; } = 10_000;

    /// <summary>Longest a request waits for another replica's render before rendering itself.</summary>
    public int LockWaitMilliseconds { get; set; } = 8_000;

    /// <summary>How often a waiting request looks for the other replica's rendition.</summary>
    public int LockPollMilliseconds { get; set; } = 50;

    public RedisBreakerOptions Breaker { get; set; } = new();

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}

/// <summary>The circuit breaker in front of Redis: while open, requests skip Redis without waiting at all.</summary>
public sealed class RedisBreakerOptions
{
    /// <summary>Opens when at least this share of the calls in the sampling window failed or timed out.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>The sampling window.</summary>
    public int SamplingMilliseconds { get; set; } = 10_000;

    /// <summary>Calls needed in the window before the ratio counts.</summary>
    public int MinimumThroughput { get; set; } = 20;

    /// <summary>How long the breaker stays open before one trial call (half-open).</summary>
    public int BreakMilliseconds { get; set; } = 30_000;
}
