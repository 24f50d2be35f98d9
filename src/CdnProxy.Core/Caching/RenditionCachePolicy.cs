namespace CdnProxy.Core.Caching;

/// <summary>
/// How long renditions are fresh, how long a stale one may still be served when the origin fails, and how long an
/// origin's "not found" is remembered.
/// </summary>
public sealed record RenditionCachePolicy
{
    /// <summary>Fresh lifetime of a rendition; <see cref="TimeSpan.Zero"/> keeps renditions fresh for ever.</summary>
    public TimeSpan FreshFor { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How long after going stale a rendition may still be served while the origin fails.</summary>
    public TimeSpan StaleIfError { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// After the origin failed and a stale copy was served, how long further requests for that original get their
    /// stale copies at once instead of trying the origin again (and waiting for its timeout) each time.
    /// </summary>
    public TimeSpan OriginRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an origin's "not found" is remembered for an original.</summary>
    public TimeSpan NegativeTtl { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How long a failed fetch of one file (5xx, timeout, connection failure) is remembered, answered with the same
    /// error without asking the origin again; <see cref="TimeSpan.Zero"/> remembers none.
    /// </summary>
    public TimeSpan FailedFetchTtl { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest an origin's <c>Retry-After</c> (on a 429 or 503) is honoured: that origin is not asked again for so
    /// long. <see cref="TimeSpan.Zero"/> ignores <c>Retry-After</c> (such an answer is then a plain failure).
    /// </summary>
    public TimeSpan MaxOriginRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    public bool IsFresh(Rendition rendition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        return FreshFor <= TimeSpan.Zero || now - rendition.Created < FreshFor;
    }

    /// <summary>True when a stale <paramref name="rendition"/> is still inside the stale-if-error window.</summary>
    public bool CanServeStale(Rendition rendition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        return now - rendition.Created < FreshFor + StaleIfError;
    }
}
