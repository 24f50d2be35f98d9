using System.Net;
using System.Net.Http.Headers;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using CdnProxy.Core;

namespace CdnProxy.Server.Origins.S3;

/// <summary>
/// An S3 answer that asks us to slow down, read as the <c>http</c> origin reads a 429/503 with <c>Retry-After</c>: the
/// error <c>OriginCooldowns</c> pauses the origin on. AWS answers <c>503 SlowDown</c> (or <c>ServiceUnavailable</c>,
/// also "reduce your request rate") and sends no <c>Retry-After</c>; S3-compatible servers may answer 429, or use
/// another throttling code the SDK knows (<c>Throttling</c>, <c>RequestLimitExceeded</c>…).
/// </summary>
internal static class S3Throttling
{
    /// <summary>
    /// The pause when S3 names no wait (AWS never does): one second turns a burst of renders into one S3 call a
    /// second per replica while S3 scales the prefix up, and holds the bucket's other files for no longer than a client
    /// would wait anyway. Longer would stop unrelated prefixes of the bucket for a throttle on one.
    /// </summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(1);

    /// <summary>Asked only for the SDK's own list of throttling error codes, which has no static form.</summary>
    private static readonly RetryPolicy SdkRetries = new StandardRetryPolicy(new Amazon.S3.AmazonS3Config());

    /// <summary>Whether <paramref name="error"/> asks us to slow down: a 429 or 503, or a throttling code the SDK knows.</summary>
    public static bool Is(AmazonServiceException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable || SdkRetries.IsThrottlingError(error);
    }

    /// <summary>Logs a throttling answer (event 7111) and returns the error to throw, with the wait S3 asked for or <see cref="DefaultWait"/>.</summary>
    public static CdnException Failure(AmazonServiceException error, DateTimeOffset now, ILogger logger, string origin, string filePath)
    {
        ArgumentNullException.ThrowIfNull(error);
        var asked = RetryAfterOf(error, now);
        var wait = asked ?? DefaultWait;
        OriginLog.S3Throttled(logger, origin, filePath, (int)error.StatusCode, error.ErrorCode ?? "none", wait.TotalSeconds, asked is not null);
        return new CdnException(CdnErrorKind.OriginThrottled, "The origin asked us to retry later", error) { RetryAfter = wait, CauseLogged = true };
    }

    /// <summary>A <c>Retry-After</c> (seconds or an HTTP date) on the error response, which an S3-compatible server may send; else null.</summary>
    private static TimeSpan? RetryAfterOf(AmazonServiceException error, DateTimeOffset now)
    {
        if (error.InnerException is not HttpErrorResponseException { Response: { } response }
            || !response.IsHeaderPresent(Microsoft.Net.Http.Headers.HeaderNames.RetryAfter)
            || !RetryConditionHeaderValue.TryParse(response.GetHeaderValue(Microsoft.Net.Http.Headers.HeaderNames.RetryAfter), out var retryAfter))
        {
            return null;
        }

        return OriginRetryAfter.Of(retryAfter, now);
    }
}
