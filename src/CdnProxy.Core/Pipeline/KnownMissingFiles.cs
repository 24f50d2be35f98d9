using CdnProxy.Core.Caching;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// The negative cache as one origin's paths see it: which paths were missing at that origin lately. Kept as the
/// rendition cache's known-missing entries under each path's original id (cloud, zone, path), so an upload or purge
/// of a path forgets its entry on every replica, as it does for a missing original. Entries are remembered under
/// <paramref name="epoch"/>, read before the fetches: its memory generation counts every purge of this process, so an
/// upload and purge of a path while the origin answered "not found" keeps that answer out; its shared epoch is the
/// original's, not the path's, so give one without it (the entries then stay in this process).
/// </summary>
public sealed class KnownMissingFiles(IRenditionCache cache, string cloud, string? zone, TimeSpan ttl, PurgeEpoch epoch)
{
    public ValueTask<bool> ContainsAsync(string path) =>
        cache.IsKnownMissingAsync(RenditionKeyBuilder.OriginalId(cloud, zone, path), CancellationToken.None);

    public ValueTask RememberAsync(string path) =>
        cache.SetKnownMissingAsync(RenditionKeyBuilder.OriginalId(cloud, zone, path), ttl, epoch, CancellationToken.None);
}
