using CdnProxy.Core.Planning;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Origins;
using CdnProxy.Urls.Paths;

namespace CdnProxy.Core.Pipeline;

/// <summary>A request after every pure stage: where the original is, what to render, and under which key.</summary>
/// <param name="Url">The split (and, for workers, translated) URL.</param>
/// <param name="Origin">The zone's origin.</param>
/// <param name="Plan">The bound plan with the negotiated output format.</param>
/// <param name="Dpr">The device pixel ratio.</param>
/// <param name="Key">The rendition's cache key.</param>
/// <param name="VariesByAccept">True when <c>f_auto</c> chose the format.</param>
public sealed record ResolvedRequest(CdnUrl Url, IOriginStore Origin, RenderPlan Plan, double Dpr, RenditionKey Key, bool VariesByAccept)
{
    /// <summary>True when the URL carried a valid signature: only then may a private file be served.</summary>
    public bool HasValidSignature { get; init; }

    /// <summary>When the URL's signature expires (<c>pbe</c>); null for an unsigned URL or one signed without expiry.</summary>
    public DateTimeOffset? SignatureExpires { get; init; }
}
