using System.Runtime.CompilerServices;
using CdnProxy.Server.Hosting;

namespace CdnProxy.Server.Caching;

/// <summary>Start-up checks of <c>CdnProxy:Cache</c> (part of <see cref="CdnProxyOptionsValidator"/>).</summary>
internal static class CacheOptionsValidation
{
    public static void Validate(List<string> failures, CacheOptions cache)
    {
        if (cache.FreshSeconds < 0 || cache.StaleIfErrorSeconds < 0 || cache.NegativeTtlSeconds < 0)
        {
            failures.Add("CdnProxy:Cache:FreshSeconds, StaleIfErrorSeconds and NegativeTtlSeconds must not be negative.");
        }

        // Both memories exist to protect a struggling origin: longer than an hour would hide its recovery for as long.
        if (cache.FailedFetchTtlSeconds is < 0 or > 3600 || cache.MaxOriginRetryAfterSeconds is < 0 or > 3600)
        {
            failures.Add("CdnProxy:Cache:FailedFetchTtlSeconds and MaxOriginRetryAfterSeconds must be between 0 and 3600.");
        }

        var redis = cache.Redis;
        if (!redis.Enabled)
        {
            return;
        }

        if (!IsValidConfiguration(redis.Configuration))
        {
            // Not the parser's message: it can quote parts of the string, password included.
            failures.Add("CdnProxy:Cache:Redis:Configuration is not a valid StackExchange.Redis configuration string (host:port,option=value,...).");
        }

        if (redis.TtlSeconds < 1 || redis.TtlJitterPercent is < 0 or > 50 || redis.MaxValueBytes < 1)
        {
            failures.Add("CdnProxy:Cache:Redis: TtlSeconds and MaxValueBytes must be positive, TtlJitterPercent between 0 and 50.");
        }

        if (redis.TimeoutMilliseconds < 1 || redis.ConnectTimeoutMilliseconds < 1 || redis.LockTtlMilliseconds < 1
            || redis.LockWaitMilliseconds < 0 || redis.LockPollMilliseconds < 1)
        {
            failures.Add("CdnProxy:Cache:Redis: timeouts, lock TTL and poll interval must be positive.");
        }

        var breaker = redis.Breaker;
        if (breaker.FailureRatio is <= 0 or > 1 || breaker.MinimumThroughput < 2
            || breaker.SamplingMilliseconds < 500 || breaker.BreakMilliseconds < 500)
        {
            failures.Add("CdnProxy:Cache:Redis:Breaker: FailureRatio in (0, 1], MinimumThroughput ≥ 2, SamplingMilliseconds and BreakMilliseconds ≥ 500.");
        }
    }

    // Separate and never inlined: compiling Validate must not load the Redis client when Redis is off (its pages
    // would count towards every replica's memory for nothing).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsValidConfiguration(string configuration)
    {
        try
        {
            _ = StackExchange.Redis.ConfigurationOptions.Parse(configuration);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
