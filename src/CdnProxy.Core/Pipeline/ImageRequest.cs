namespace CdnProxy.Core.Pipeline;

/// <summary>What the pipeline needs from an HTTP request, without HTTP types.</summary>
/// <param name="Path">The decoded request path, e.g. <c>/v2/demo/t.resize(w:300)/a.jpg</c>.</param>
/// <param name="Dpr">The <c>dpr</c> query value, if any (last one wins).</param>
/// <param name="ClientHintDpr">The <c>Sec-CH-DPR</c> or <c>DPR</c> request header, used by <c>dpr=auto</c>.</param>
/// <param name="IfNoneMatch">The <c>If-None-Match</c> header, if any.</param>
public sealed record ImageRequest(string Path, string? Dpr = null, string? ClientHintDpr = null, string? IfNoneMatch = null)
{
    /// <summary>The request target exactly as received (raw path and query), used to verify signatures.</summary>
    public string? RawTarget { get; init; }

    /// <summary>The <c>Host</c> header without port, used to recognise custom domains.</summary>
    public string? Host { get; init; }

    /// <summary>The <c>f_auto</c> query value, if any.</summary>
    public string? FormatAuto { get; init; }

    /// <summary>The <c>Accept</c> header, used by <c>f_auto</c>.</summary>
    public string? Accept { get; init; }

    /// <summary>The <c>v</c> query value (a cache buster), if any.</summary>
    public string? CacheBuster { get; init; }

    /// <summary>
    /// The caller proved who it is another way (an API key): it counts as signed, so clouds that require signed URLs
    /// and private files are open to it. Never set from anything in the URL.
    /// </summary>
    public bool Authenticated { get; init; }

    /// <summary>
    /// Who asked (the connection's peer, or the client a trusted proxy names): its renders wait in a line of their own
    /// at the render workers (<see cref="ClientLines"/>), so one client's burst of distinct URLs does not refuse
    /// everyone else's. Null for the server's own work.
    /// </summary>
    public System.Net.IPAddress? Client { get; init; }

    /// <summary>The <c>If-Match</c> header, if any.</summary>
    public string? IfMatch { get; init; }

    /// <summary>
    /// Evaluates the request's preconditions against the representation's <paramref name="etag"/> in RFC 9110's order
    /// (§13.2.2): throws <see cref="CdnErrorKind.PreconditionFailed"/> when <c>If-Match</c> names only other versions;
    /// otherwise true when <c>If-None-Match</c> says the client's copy is current (304).
    /// </summary>
    public bool IsNotModified(string etag) => EntityTagMatcher.IfMatchHolds(IfMatch, etag)
        ? EntityTagMatcher.Matches(IfNoneMatch, etag)
        : throw new CdnException(CdnErrorKind.PreconditionFailed, "The image is not the version If-Match names");
}
