namespace CdnProxy.Core.Caching;

/// <summary>
/// A cache of renditions. Contract: no member throws, apart from <see cref="OperationCanceledException"/> for the
/// caller's own cancellation. A tier that fails (Redis down, a timeout) logs it and answers a miss, "not stored" or
/// "unknown": a cache is an optimisation, so the pipeline never guards its calls.
/// </summary>
public interface IRenditionCache
{
    /// <summary>A lookup made for a request: caches with counters count it as a hit or a miss.</summary>
    ValueTask<Rendition?> TryGetAsync(RenditionKey key, CancellationToken cancellationToken);

    /// <summary>A lookup that counts nothing (re-checks and the polls of a replica waiting for another's render).</summary>
    ValueTask<Rendition?> PeekAsync(RenditionKey key, CancellationToken cancellationToken) => TryGetAsync(key, cancellationToken);

    /// <summary>Stores a rendition of the original as it is now (its purge epoch is read at this moment).</summary>
    ValueTask SetAsync(RenditionKey key, Rendition rendition, CancellationToken cancellationToken);

    /// <summary>
    /// The original's purge epoch now. Read it before fetching the original and store the rendition with
    /// <see cref="SetAsync(RenditionKey, Rendition, PurgeEpoch, CancellationToken)"/>.
    /// </summary>
    ValueTask<PurgeEpoch> ReadEpochAsync(string originalId, CancellationToken cancellationToken) => ValueTask.FromResult(PurgeEpoch.Unknown);

    /// <summary>
    /// Stores a rendition rendered from an original fetched under <paramref name="epoch"/>. Caches that track purges
    /// drop it when the original was purged since (it is never served after the purge). Others ignore the epoch.
    /// </summary>
    ValueTask SetAsync(RenditionKey key, Rendition rendition, PurgeEpoch epoch, CancellationToken cancellationToken) =>
        SetAsync(key, rendition, cancellationToken);

    /// <summary>
    /// Grows with every purge this process learns of (always 0 where purges are not tracked). Requests under different
    /// generations never share a render: one that arrives after a purge must not be answered by a render of the former original.
    /// </summary>
    long PurgeGeneration => 0;

    /// <summary>True while the origin is known to have answered "not found" for this original (negative caching).</summary>
    ValueTask<bool> IsKnownMissingAsync(string originalId, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <summary>Remembers for <paramref name="ttl"/> that the original does not exist. Caches without negative entries ignore it.</summary>
    ValueTask SetKnownMissingAsync(string originalId, TimeSpan ttl, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Remembers that the origin answered "not found" to a fetch made under <paramref name="epoch"/>. Caches that track
    /// purges drop it when the original was purged since (an upload then purge must be visible at once).
    /// </summary>
    ValueTask SetKnownMissingAsync(string originalId, TimeSpan ttl, PurgeEpoch epoch, CancellationToken cancellationToken) =>
        SetKnownMissingAsync(originalId, ttl, cancellationToken);

    /// <summary>Removes every rendition of the original, and its negative entry; returns how many renditions went (where counted).</summary>
    ValueTask<long> PurgeAsync(string originalId, CancellationToken cancellationToken) => ValueTask.FromResult(0L);
}
