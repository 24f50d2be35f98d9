namespace CdnProxy.Core.Caching;

/// <summary>
/// A rendition cache shared by every replica (Redis). Purges renew a per-original epoch token: a rendition is served
/// only while the epoch it was rendered under is still the original's epoch. The cache tells this process when any
/// replica purged an original, and when purges may have been missed, so the in-process tier can drop its copies too.
/// Every member fails open: an unreachable store is a miss, "not stored", "unknown".
/// </summary>
public interface ISharedRenditionCache
{
    /// <summary>Renditions larger than this are not stored in the shared tier (they are still served).</summary>
    long MaxValueBytes { get; }

    /// <summary>A rendition whose stored epoch is still the original's epoch, or null.</summary>
    ValueTask<Rendition?> TryGetAsync(RenditionKey key, CancellationToken cancellationToken);

    /// <summary>The original's epoch token now (created when it has none); null when the store could not be reached.</summary>
    ValueTask<string?> ReadEpochAsync(string originalId, CancellationToken cancellationToken);

    /// <summary>Stores the rendition under <paramref name="epoch"/>, unless the original's epoch has changed since.</summary>
    ValueTask SetAsync(RenditionKey key, Rendition rendition, string epoch, CancellationToken cancellationToken);

    /// <summary>True while the origin is known to have answered "not found" for this original.</summary>
    ValueTask<bool> IsKnownMissingAsync(string originalId, CancellationToken cancellationToken);

    /// <summary>
    /// Remembers for <paramref name="ttl"/> that the original does not exist, unless its epoch has changed since
    /// <paramref name="epoch"/> was read (it was purged, after an upload perhaps, while the origin answered).
    /// </summary>
    ValueTask SetKnownMissingAsync(string originalId, TimeSpan ttl, string epoch, CancellationToken cancellationToken);

    /// <summary>
    /// Renews the original's epoch (every stored rendition of it becomes a miss), drops its "not found" entry and tells
    /// every replica; false when the store could not be reached (the purge did not happen there).
    /// </summary>
    ValueTask<bool> TryPurgeAsync(string originalId, CancellationToken cancellationToken);

    /// <summary>
    /// Registers <paramref name="onPurged"/>, called with the original id of every purge made by any replica, and
    /// <paramref name="onPurgesMissed"/>, called when the connection returns after purges may have been missed.
    /// </summary>
    void SubscribeToPurges(Action<string> onPurged, Action onPurgesMissed);
}
