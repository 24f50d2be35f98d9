using CdnProxy.Core.Caching;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// The negative cache as one origin's paths see it: which paths were missing at that origin lately. Kept as the
/// rendition cache's known-missing entries under each path's original id (cloud, zone, path), so an upload or purge
/// of a path forgets its entry on every replica, as it does for a missing original.
/// </summary>
public sealed class KnownMissingFiles(IRenditionCache cache, string cloud, string? zone, TimeSpan ttl)
{
    public ValueTask<bool> ContainsAsync(string path) =>
        cache.IsKnownMissingAsync(RenditionKeyBuilder.OriginalId(cloud, zone, path), CancellationToken.None);

    public ValueTask RememberAsync(string path) =>
        cache.SetKnownMissingAsync(RenditionKeyBuilder.OriginalId(cloud, zone, path), ttl, CancellationToken.None);
}
