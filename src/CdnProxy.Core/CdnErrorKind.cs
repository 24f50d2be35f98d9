namespace CdnProxy.Core;

/// <summary>What went wrong with a request. Only the server's error mapper turns a kind into an HTTP status.</summary>
public enum CdnErrorKind
{
    /// <summary>The path is not a valid CDN URL shape.</summary>
    MalformedUrl,

    /// <summary>The pattern does not follow the grammar.</summary>
    PatternSyntax,

    /// <summary>The pattern names an operation the catalog does not know.</summary>
    UnknownTransformation,

    /// <summary>An argument is unknown, of the wrong type or out of range.</summary>
    InvalidArgument,

    /// <summary>The source exceeds a configured limit (pixels, frames).</summary>
    LimitExceeded,

    /// <summary>The cloud is not configured.</summary>
    UnknownCloud,

    /// <summary>The zone slug is not configured for the cloud.</summary>
    UnknownZone,

    /// <summary>The cloud requires signed URLs and this one carries no signature.</summary>
    SignatureMissing,

    /// <summary>The signature does not match, is malformed, or names an unknown key.</summary>
    SignatureInvalid,

    /// <summary>The signed URL's expiry (<c>pbe</c>) has passed.</summary>
    SignatureExpired,

    /// <summary>The original does not exist at the origin.</summary>
    OriginNotFound,

    /// <summary>A file the pattern references (a merge image) does not exist at the origin.</summary>
    ReferencedFileNotFound,

    /// <summary>The origin failed.</summary>
    OriginFailed,

    /// <summary>
    /// The origin's address is one the network policy refuses (loopback, private, metadata...). Answered like a
    /// missing original, so a probe learns nothing about the internal network.
    /// </summary>
    OriginRefused,

    /// <summary>The origin did not answer in time.</summary>
    OriginTimeout,

    /// <summary>
    /// The origin asked us to wait (429 or 503 with <c>Retry-After</c>), or is still inside such a wait: it is not
    /// asked again until then. <see cref="CdnException.RetryAfter"/> holds the time left.
    /// </summary>
    OriginThrottled,

    /// <summary>The original is larger than the configured byte cap.</summary>
    SourceTooLarge,

    /// <summary>The original is not in a format the server decodes.</summary>
    UnsupportedFormat,

    /// <summary>The original is in a known format but corrupt or truncated.</summary>
    UndecodableImage,

    /// <summary>The render queue is full, or renders in flight already hold the memory this one would need.</summary>
    Overloaded,

    /// <summary>The render ran past its deadline and was stopped; nothing was cached.</summary>
    RenderTimeout,

    /// <summary>Anything else that failed while rendering.</summary>
    RenderFailed,

    /// <summary>A management API call without a valid API key.</summary>
    ApiKeyInvalid,

    /// <summary>A valid API key that does not serve the cloud the call is about (<c>Api:CloudKeys</c>), or a call about every cloud made with such a key.</summary>
    ApiKeyForbidden,

    /// <summary>An upload is larger than the cloud accepts (counted while streaming, never from a declared length).</summary>
    UploadTooLarge,

    /// <summary>Storing the upload would take a cloud past its storage quota.</summary>
    QuotaExceeded,

    /// <summary>An upload's path is taken and neither overwriting nor a new name was asked for.</summary>
    FileExists,

    /// <summary>The cloud's origin is not writable.</summary>
    NotWritable,

    /// <summary>A file, folder or upload session the API was asked about does not exist.</summary>
    AssetNotFound,

    /// <summary>Too many requests for this API key (or address) in the current window.</summary>
    RateLimited,

    /// <summary>A job asks for an operation this server's catalogue does not have (e.g. a 6px face crop).</summary>
    UnsupportedOperation,

    /// <summary>No job with this id for this API key.</summary>
    JobNotFound,

    /// <summary>An <c>Idempotency-Key</c> was sent again with another body.</summary>
    IdempotencyKeyReused,

    /// <summary>The API key already has as many jobs pending or processing as allowed.</summary>
    TooManyJobs,

    /// <summary>No endpoint serves this path.</summary>
    NoSuchPath,

    /// <summary>An endpoint serves this path, but not with this method.</summary>
    MethodNotAllowed,

    /// <summary><c>If-Match</c> names none of the versions the server has of this image.</summary>
    PreconditionFailed,
}
