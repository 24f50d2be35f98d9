using CdnProxy.Server.Http;

namespace CdnProxy.Server.Hosting;

/// <summary>Server log messages with stable event ids (1xxx request, 3xxx render, 5xxx host).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "libvips {Version} loaded ({Source}: {Path}); {Concurrency} thread(s) per image, {Workers} render worker(s)")]
    public static partial void VipsLoaded(ILogger logger, Version version, string source, string path, int concurrency, int workers);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Information, Message = "Warmed up in {Milliseconds} ms (grammar, binder, renders compiled before the first request)")]
    public static partial void WarmedUp(ILogger logger, long milliseconds);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "HTTP path warmed up in {Milliseconds} ms")]
    public static partial void WarmedUpHttp(ILogger logger, long milliseconds);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "No OpenCV face cascade found (Debian's opencv-data, or scripts/setup.sh --for-tests): p:face crops by attention")]
    public static partial void NoFaceCascade(ILogger logger);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "No tiny face detector weights found (face-api's model, scripts/setup.sh --for-tests): p:face crops by attention")]
    public static partial void NoTinyFaceModel(ILogger logger);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Warning, Message = "Signing keys {AccessKeys} list no Clouds: each signs URLs for every one of the {CloudCount} clouds, so its holder can sign another tenant's URLs. Give each key its Clouds (docs/signing.md)")]
    public static partial void SigningKeysForEveryCloud(ILogger logger, string accessKeys, int cloudCount);

    [LoggerMessage(EventId = 5015, Level = LogLevel.Warning, Message = "{KeyCount} API keys of CdnProxy:Api:Keys serve every one of the {CloudCount} clouds, so each holder can purge, upload to, change and delete another tenant's files. Give each tenant a key of CdnProxy:Api:CloudKeys listing its clouds (docs/configuration.md)")]
    public static partial void ApiKeysForEveryCloud(ILogger logger, int keyCount, int cloudCount);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Debug, Message = "HTTP warm-up skipped: {Reason}")]
    public static partial void WarmUpSkipped(ILogger logger, string reason);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "libvips: {Message}")]
    public static partial void VipsWarning(ILogger logger, string message);

    [LoggerMessage(EventId = 1001, Message = "Request failed: {Kind} ({Status}): {PublicMessage}")]
    private static partial void RequestFailed(ILogger logger, LogLevel level, CdnProxy.Core.CdnErrorKind kind, int status, string publicMessage, Exception? exception);

    /// <summary>A request's failure, at its kind's level; with its cause unless that was logged already (an origin's).</summary>
    public static void RequestFailed(ILogger logger, CdnErrorMapping mapping, CdnProxy.Core.CdnException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        RequestFailed(logger, mapping.LogLevel, failure.Kind, mapping.Status, failure.Message, failure.CauseLogged ? null : failure.InnerException);
    }

    [LoggerMessage(EventId = 1003, Message = "Not-found image {Cloud}/{FilePath} could not be served, the JSON 404 was answered: {Kind} ({Status}): {PublicMessage}")]
    private static partial void NotFoundImageFailed(ILogger logger, LogLevel level, string cloud, string filePath, CdnProxy.Core.CdnErrorKind kind, int status, string publicMessage, Exception? exception);

    /// <summary>A cloud's not-found image failed where it stood in for a missing original, at its failure's level.</summary>
    public static void NotFoundImageFailed(ILogger logger, CdnErrorMapping mapping, string cloud, string filePath, CdnProxy.Core.CdnException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        NotFoundImageFailed(logger, mapping.LogLevel, cloud, filePath, failure.Kind, mapping.Status, failure.Message, failure.CauseLogged ? null : failure.InnerException);
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Unexpected failure")]
    public static partial void UnexpectedFailure(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Readiness probe failed")]
    public static partial void ProbeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "Renders idle: memory trimmed (C heap returned memory: {Returned}); working set {WorkingSetMiB} MiB")]
    public static partial void MemoryTrimmed(ILogger logger, bool returned, long workingSetMiB);
}
