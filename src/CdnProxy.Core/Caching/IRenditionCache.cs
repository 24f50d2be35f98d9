namespace CdnProxy.Core.Caching;

/// <summary>A cache of renditions. Failures inside an implementation must not fail requests: log and miss.</summary>
public interface IRenditionCache
{
    ValueTask<Rendition?> TryGetAsync(RenditionKey key, CancellationToken cancellationToken);

    ValueTask SetAsync(RenditionKey key, Rendition rendition, CancellationToken cancellationToken);
}
