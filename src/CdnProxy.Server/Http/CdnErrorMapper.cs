using CdnProxy.Core;

namespace CdnProxy.Server.Http;

/// <summary>The only place that decides the HTTP status, public code and log level of a failure.</summary>
public static class CdnErrorMapper
{
    public static CdnErrorMapping Map(CdnErrorKind kind) => kind switch
    {
        CdnErrorKind.MalformedUrl => new(StatusCodes.Status400BadRequest, "malformed_url", LogLevel.Debug),
        CdnErrorKind.PatternSyntax => new(StatusCodes.Status400BadRequest, "pattern_syntax", LogLevel.Debug),
        CdnErrorKind.UnknownTransformation => new(StatusCodes.Status400BadRequest, "unknown_transformation", LogLevel.Debug),
        CdnErrorKind.InvalidArgument => new(StatusCodes.Status400BadRequest, "invalid_argument", LogLevel.Debug),
        CdnErrorKind.UnknownCloud => new(StatusCodes.Status404NotFound, "unknown_cloud", LogLevel.Debug),
        CdnErrorKind.UnknownZone => new(StatusCodes.Status404NotFound, "unknown_zone", LogLevel.Debug),
        CdnErrorKind.SignatureMissing => new(StatusCodes.Status401Unauthorized, "signature_required", LogLevel.Debug),
        CdnErrorKind.SignatureInvalid => new(StatusCodes.Status401Unauthorized, "signature_invalid", LogLevel.Debug),
        CdnErrorKind.SignatureExpired => new(StatusCodes.Status401Unauthorized, "signature_expired", LogLevel.Debug),
        CdnErrorKind.OriginNotFound => new(StatusCodes.Status404NotFound, "not_found", LogLevel.Debug),
        CdnErrorKind.ReferencedFileNotFound => new(StatusCodes.Status404NotFound, "not_found", LogLevel.Debug),
        CdnErrorKind.OriginRefused => new(StatusCodes.Status404NotFound, "not_found", LogLevel.Warning),
        CdnErrorKind.UnsupportedFormat => new(StatusCodes.Status415UnsupportedMediaType, "unsupported_format", LogLevel.Information),
        CdnErrorKind.UndecodableImage => new(StatusCodes.Status422UnprocessableEntity, "undecodable_image", LogLevel.Information),
        CdnErrorKind.LimitExceeded => new(StatusCodes.Status422UnprocessableEntity, "limit_exceeded", LogLevel.Information),
        CdnErrorKind.SourceTooLarge => new(StatusCodes.Status422UnprocessableEntity, "source_too_large", LogLevel.Information),
        CdnErrorKind.OriginFailed => new(StatusCodes.Status502BadGateway, "origin_failed", LogLevel.Warning),
        CdnErrorKind.OriginTimeout => new(StatusCodes.Status504GatewayTimeout, "origin_timeout", LogLevel.Warning),
        // Logged once when the origin asks (OriginCooldowns); each request held meanwhile is not news.
        CdnErrorKind.OriginThrottled => new(StatusCodes.Status503ServiceUnavailable, "origin_throttled", LogLevel.Information),
        // Load shed on purpose, and counted (cdnproxy.request.duration by status, the render gate's gauges): a line per refusal
        // would write a flood of requests to the log (~58,000 warnings in a minute of one client's random ?v= URLs).
        CdnErrorKind.Overloaded => new(StatusCodes.Status503ServiceUnavailable, "overloaded", LogLevel.Debug),
        CdnErrorKind.RenderTimeout => new(StatusCodes.Status503ServiceUnavailable, "render_timeout", LogLevel.Warning),
        CdnErrorKind.RenderFailed => new(StatusCodes.Status500InternalServerError, "render_failed", LogLevel.Error),
        CdnErrorKind.ApiKeyInvalid => new(StatusCodes.Status401Unauthorized, "api_key_invalid", LogLevel.Information),
        CdnErrorKind.ApiKeyForbidden => new(StatusCodes.Status403Forbidden, "forbidden", LogLevel.Information),
        CdnErrorKind.UploadTooLarge => new(StatusCodes.Status413PayloadTooLarge, "upload_too_large", LogLevel.Information),
        CdnErrorKind.QuotaExceeded => new(StatusCodes.Status507InsufficientStorage, "quota_exceeded", LogLevel.Information),
        CdnErrorKind.FileExists => new(StatusCodes.Status409Conflict, "file_exists", LogLevel.Debug),
        CdnErrorKind.NotWritable => new(StatusCodes.Status403Forbidden, "not_writable", LogLevel.Debug),
        CdnErrorKind.AssetNotFound => new(StatusCodes.Status404NotFound, "not_found", LogLevel.Debug),
        CdnErrorKind.RateLimited => new(StatusCodes.Status429TooManyRequests, "rate_limited", LogLevel.Information),
        CdnErrorKind.UnsupportedOperation => new(StatusCodes.Status422UnprocessableEntity, "unsupported_operation", LogLevel.Debug),
        CdnErrorKind.JobNotFound => new(StatusCodes.Status404NotFound, "not_found", LogLevel.Debug),
        CdnErrorKind.IdempotencyKeyReused => new(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", LogLevel.Information),
        CdnErrorKind.TooManyJobs => new(StatusCodes.Status429TooManyRequests, "too_many_jobs", LogLevel.Information),
        CdnErrorKind.NoSuchPath => new(StatusCodes.Status404NotFound, "not_found", LogLevel.Debug),
        CdnErrorKind.MethodNotAllowed => new(StatusCodes.Status405MethodNotAllowed, "method_not_allowed", LogLevel.Debug),
        CdnErrorKind.PreconditionFailed => new(StatusCodes.Status412PreconditionFailed, "precondition_failed", LogLevel.Debug),
        _ => Internal,
    };

    /// <summary>For failures that are not <see cref="CdnException"/>s: the public message says nothing more.</summary>
    public static CdnErrorMapping Internal { get; } = new(StatusCodes.Status500InternalServerError, "internal_error", LogLevel.Error);
}
