namespace CdnProxy.Core.Caching;

/// <summary>The in-process rendition cache, bound from <c>CdnProxy:Cache:Memory</c>.</summary>
public sealed record MemoryRenditionCacheOptions
{
    /// <summary>Total bytes of renditions kept; 0 turns the cache off.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Renditions larger than this are served but not kept.</summary>
    public long MaxEntryBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// What each entry costs besides its bytes, counted against <see cref="MaxBytes"/> with its key text (2 B a
    /// character): list node, index entries, records (a 100-B rendition held ~753 B in all). Without it, 256 MB of tiny
    /// renditions held ~1.7 GB. 0 counts the renditions' bytes alone.
    /// </summary>
    public long EntryOverheadBytes { get; set; } = 768;
}
