namespace CdnProxy.Urls.Security;

/// <summary>Which SDK's signed string a valid <c>pbs</c> matched (spec §5.2). Useful for metrics, never for policy.</summary>
public enum SignedStringVariant
{
    /// <summary>JS admin SDK: <c>encodeURI(path + "?" + query)</c> over the query exactly as received.</summary>
    JsEncodeUri,

    /// <summary>
    /// JS admin SDK, query as it was before the SDK re-serialised it: each parameter form-decoded and re-encoded the
    /// way a WHATWG URL leaves a hand-written query (space as <c>%20</c>, <c>~</c> and most punctuation raw, an empty
    /// value either as a bare name or as <c>name=</c>, all flags alike).
    /// </summary>
    JsEncodeUriOriginalQuery,

    /// <summary>C# SDK: <c>Uri.PathAndQuery</c>, the raw path and query without further encoding.</summary>
    RawPathAndQuery,

    /// <summary>Python SDK: the raw path only, no query.</summary>
    RawPath,

    /// <summary>Go SDK (and Python given a decoded URL): the percent-decoded path only, no query.</summary>
    DecodedPath,
}
