namespace CdnProxy.Server.Caching;

/// <summary>Log messages of the Redis tier (41xx).</summary>
internal static partial class CacheLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Redis connection lost ({FailureType}); the cache runs from memory until it returns")]
    public static partial void ConnectionLost(ILogger logger, string failureType);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Redis connection restored")]
    public static partial void ConnectionRestored(ILogger logger);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Redis call failed; treated as a miss")]
    public static partial void CallFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Redis circuit breaker opened for {Duration}; requests skip Redis")]
    public static partial void BreakerOpened(ILogger logger, TimeSpan duration);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "Redis circuit breaker closed")]
    public static partial void BreakerClosed(ILogger logger);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Corrupt rendition {Key} in Redis ({Bytes} bytes); deleted, treated as a miss")]
    public static partial void CorruptValue(ILogger logger, string key, int bytes);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "Subscribing to Redis purge messages failed for now; the client subscribes again when the connection returns")]
    public static partial void SubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Warning, Message = "Redis {Connection} connection restored: purges may have been missed meanwhile, so the memory tier is cleared")]
    public static partial void PurgesMaybeMissed(ILogger logger, string connection);

    [LoggerMessage(EventId = 4109, Level = LogLevel.Error, Message = "The Redis client could not be created; the cache runs from memory only")]
    public static partial void ClientNotCreated(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "Rendition {Key} in Redis holds {Bytes} bytes, over the {Limit} this tier stores; deleted, treated as a miss")]
    public static partial void OversizedValue(ILogger logger, string key, long bytes, long limit);
}
