namespace CdnProxy.Core.Caching;

/// <summary>
/// A rendition cache shared by every replica (Redis). It tells this process when any replica purged an original, so
/// the in-process tier can drop its copies too.
/// </summary>
public interface ISharedRenditionCache : IRenditionCache
{
    /// <summary>Renditions larger than this are not stored in the shared tier (they are still served).</summary>
    long MaxValueBytes { get; }

    /// <summary>
    /// Removes every rendition of the original and tells every replica to drop its in-process copies; returns how many
    /// renditions went, or null when the shared store could not be reached (the purge did not happen there).
    /// </summary>
    ValueTask<long?> TryPurgeAsync(string originalId, CancellationToken cancellationToken);

    /// <summary>Registers <paramref name="onPurged"/>, called with the original id of every purge made by any replica.</summary>
    void SubscribeToPurges(Action<string> onPurged);
}
