namespace CdnProxy.Core.Caching;

/// <summary>A cache of renditions. Failures inside an implementation must not fail requests: log and miss.</summary>
public interface IRenditionCache
{
    ValueTask<Rendition?> TryGetAsync(RenditionKey key, CancellationToken cancellationToken);

    ValueTask SetAsync(RenditionKey key, Rendition rendition, CancellationToken cancellationToken);

    /// <summary>True while the origin is known to have answered "not found" for this original (negative caching).</summary>
    ValueTask<bool> IsKnownMissingAsync(string originalId, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <summary>Remembers for <paramref name="ttl"/> that the original does not exist. Caches without negative entries ignore it.</summary>
    ValueTask SetKnownMissingAsync(string originalId, TimeSpan ttl, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Removes every rendition of the original, and its negative entry; returns how many renditions went.</summary>
    ValueTask<long> PurgeAsync(string originalId, CancellationToken cancellationToken) => ValueTask.FromResult(0L);
}
