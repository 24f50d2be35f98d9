namespace CdnProxy.Core.Caching;

/// <summary>
/// Where an original's purges stood when a render of it began: read before the origin fetch and handed to the store,
/// so a rendition rendered from an original fetched before a purge is never served after that purge.
/// </summary>
/// <param name="MemoryGeneration">This process's purge generation (<see cref="MemoryRenditionCache.Generation"/>).</param>
/// <param name="Shared">The shared tier's epoch token of the original; null when unknown (nothing is stored there).</param>
public sealed record PurgeEpoch(long MemoryGeneration, string? Shared)
{
    /// <summary>Nothing known: caches that track purges store nothing under it.</summary>
    public static PurgeEpoch Unknown { get; } = new(-1, null);
}
