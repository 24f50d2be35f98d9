namespace CdnProxy.Core.Diagnostics;

/// <summary>The values of the <c>cdnproxy.cache</c> tag on request metrics.</summary>
public static class CacheOutcomes
{
    /// <summary>Served from a cache tier.</summary>
    public const string Hit = "hit";

    /// <summary>Rendered (or joined another request's render).</summary>
    public const string Miss = "miss";

    /// <summary>A stale rendition served because its origin failed.</summary>
    public const string Stale = "stale";

    /// <summary>A stored file sent as it is (not rendered), streamed from its origin.</summary>
    public const string Stream = "stream";

    /// <summary>Refused or failed before a rendition existed.</summary>
    public const string None = "none";
}
