using CdnProxy.Core;

namespace CdnProxy.Server.Origins;

/// <summary>Origin log messages (7xxx). They name the origin by its public description, never by credentials.</summary>
internal static partial class OriginLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Origin {Origin} refused by the network policy for {FilePath}: {Reason}")]
    public static partial void Refused(ILogger logger, string origin, string filePath, string reason);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Origin {Origin} failed for {FilePath}: {Kind}")]
    public static partial void Failed(ILogger logger, string origin, string filePath, CdnErrorKind kind, Exception? exception);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Origin {Origin} could not abort a multipart upload (its parts stay invisible)")]
    public static partial void AbortFailed(ILogger logger, string origin, Exception exception);

    /// <summary>Logs an origin failure and returns the error to throw: its public message says nothing about the origin.</summary>
    public static CdnException Failure(ILogger logger, string origin, string filePath, CdnErrorKind kind, Exception? cause)
    {
        Failed(logger, origin, filePath, kind, cause);
        return new CdnException(kind, kind == CdnErrorKind.OriginTimeout ? "The origin did not answer in time" : "The original could not be fetched", cause)
        {
            CauseLogged = true,
        };
    }

    [LoggerMessage(EventId = 7110, Level = LogLevel.Warning, Message = "Origin {Origin} fell short of the stored-file pace sending {FilePath} ({Reason}): the response was aborted")]
    public static partial void RelayCut(ILogger logger, string origin, string filePath, string? reason);

    [LoggerMessage(EventId = 7109, Level = LogLevel.Warning, Message = "Origin {Origin} answered {Status} with Retry-After {Seconds} s")]
    public static partial void Throttled(ILogger logger, string origin, int status, double seconds);

    [LoggerMessage(EventId = 7111, Level = LogLevel.Warning, Message = "Origin {Origin} answered {Status} {ErrorCode} (slow down) for {FilePath}: asks for {Seconds} s (its own Retry-After: {Asked}; the pause is capped by Cache:MaxOriginRetryAfterSeconds)")]
    public static partial void S3Throttled(ILogger logger, string origin, string filePath, int status, string errorCode, double seconds, bool asked);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "Cloud {Cloud} is set Listable, but only local origins can be listed: it is not listed")]
    public static partial void NotListable(ILogger logger, string cloud);
}
