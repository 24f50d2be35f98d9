namespace CdnProxy.Core.Caching;

/// <summary>A rendition's cache key: a readable prefix plus a hash of everything that changes the bytes.</summary>
/// <param name="Value">E.g. <c>r:v1:demo:Q2x…</c>.</param>
/// <param name="OriginalId">Identifies the original (cloud and path), so all its renditions can be found for a purge.</param>
public sealed record RenditionKey(string Value, string OriginalId)
{
    public override string ToString() => Value;
}
