namespace CdnProxy.Core.Caching;

/// <summary>The in-process rendition cache, bound from <c>CdnProxy:Cache:Memory</c>.</summary>
public sealed record MemoryRenditionCacheOptions
{
    /// <summary>Total bytes of renditions kept; 0 turns the cache off.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Renditions larger than this are served but not kept.</summary>
    public long MaxEntryBytes { get; set; } = 16L * 1024 * 1024;
}
