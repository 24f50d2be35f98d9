using CdnProxy.Core.Caching;

namespace CdnProxy.Core.Pipeline;

/// <summary>The pipeline's answer: a rendition, or "not modified" for a matching <c>If-None-Match</c>.</summary>
/// <param name="Rendition">The rendition (its headers are needed for a 304 too).</param>
/// <param name="NotModified">True when the client's copy is current.</param>
/// <param name="CacheHit">True when the rendition came from a cache.</param>
/// <param name="Timings">Time spent per stage, for <c>Server-Timing</c>.</param>
public sealed record ImageResponse(Rendition Rendition, bool NotModified, bool CacheHit, IReadOnlyList<StageTiming> Timings)
{
    /// <summary>True when <c>f_auto</c> chose the format from <c>Accept</c> (the response must say <c>Vary: Accept</c>).</summary>
    public bool VariesByAccept { get; init; }

    /// <summary>The original's file path, for a download file name.</summary>
    public string FilePath { get; init; } = string.Empty;

    /// <summary>
    /// True when the rendition is past its fresh lifetime and served only because the origin failed (stale-if-error):
    /// the response must not be cached for long.
    /// </summary>
    public bool Stale { get; init; }

    /// <summary>When the signed URL that asked expires: no cache may keep the answer past it. Null: no such bound.</summary>
    public DateTimeOffset? CacheableUntil { get; init; }
}
