namespace CdnProxy.Server.Http;

/// <summary>Response-only choices from the query: they change headers, never the rendition or its cache key.</summary>
/// <param name="DprFromClientHints">The request used <c>dpr=auto</c>: the response varies by the DPR client hints.</param>
/// <param name="Disposition"><c>attachment</c> for <c>?download</c>, <c>inline</c> for <c>?preview</c>, or null.</param>
public sealed record DeliveryOptions(bool DprFromClientHints, string? Disposition);
