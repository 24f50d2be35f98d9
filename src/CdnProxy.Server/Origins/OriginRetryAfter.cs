using System.Net;
using System.Net.Http.Headers;

namespace CdnProxy.Server.Origins;

/// <summary>An origin's request to wait: a 429 or 503 with <c>Retry-After</c>, as a render's fetch and a stored file's relay read it.</summary>
public static class OriginRetryAfter
{
    /// <summary>
    /// How long <paramref name="response"/> asks us to wait (<c>Retry-After</c> in seconds or as an HTTP date), or null:
    /// not a 429/503, no header, or a wait already over. The cap is the caller's (<c>OriginCooldowns</c>).
    /// </summary>
    public static TimeSpan? Of(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            || response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        return Of(retryAfter, now);
    }

    /// <summary>The wait a parsed <c>Retry-After</c> asks for (seconds, or until its date), or null when it is already over.</summary>
    public static TimeSpan? Of(RetryConditionHeaderValue retryAfter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(retryAfter);
        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - now : TimeSpan.Zero);
        return wait > TimeSpan.Zero ? wait : null;
    }
}
