namespace CdnProxy.Server.Http;

/// <summary>How one kind of failure is answered and logged.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Code">Stable machine-readable code in the JSON body.</param>
/// <param name="LogLevel">How loudly to log it.</param>
public sealed record CdnErrorMapping(int Status, string Code, LogLevel LogLevel)
{
    /// <summary>
    /// The <c>Retry-After</c> every face sends with this answer, in whole seconds (rounded up, at least 1): a 429 or 503
    /// says when to come back, <paramref name="wait"/> when the failure knows it (the origin's pause, the rate window,
    /// the body budget), else <paramref name="fallbackSeconds"/>. Null for any other status: asking again at once gets
    /// the same answer (a 507 waits for files to be deleted, not for time).
    /// </summary>
    public int? RetryAfterSeconds(TimeSpan? wait, int fallbackSeconds)
    {
        if (Status is not (StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable))
        {
            return null;
        }

        return wait is { } known ? Math.Max(1, (int)Math.Ceiling(known.TotalSeconds)) : Math.Max(1, fallbackSeconds);
    }
}
