using Microsoft.Extensions.Logging;

namespace CdnProxy.Core.Diagnostics;

/// <summary>Core log messages with stable event ids (2xxx origin, 3xxx render, 4xxx cache).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Origin {Origin} asked us to wait; it is not asked again for {Seconds} s")]
    public static partial void OriginPaused(ILogger logger, string origin, double seconds);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Storing rendition {Key} failed; serving it uncached")]
    public static partial void CacheStoreFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Reading rendition {Key} from the cache failed; treating it as a miss")]
    public static partial void CacheReadFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Origin failed ({Kind}) while refreshing {Key}; serving the stale rendition")]
    public static partial void ServingStale(ILogger logger, string key, CdnProxy.Core.CdnErrorKind kind, Exception exception);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "The shared cache did not take the purge of {OriginalId}; retrying it, and any further failed purges, in the background until it does")]
    public static partial void PendingPurgesStarted(ILogger logger, string originalId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Every pending shared purge is confirmed ({Confirmed} in the last pass; {Dropped} dropped since start)")]
    public static partial void PendingPurgesDrained(ILogger logger, int confirmed, long dropped);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "More than {Capacity} shared purges are pending: the oldest ({OriginalId}) and any further ones are dropped unpurged; purge again once the shared cache is back")]
    public static partial void PendingPurgeDropped(ILogger logger, int capacity, string originalId);
}
