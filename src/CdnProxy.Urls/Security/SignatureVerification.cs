namespace CdnProxy.Urls.Security;

/// <summary>The result of <see cref="SignatureVerifier.Verify"/>.</summary>
/// <param name="Status">What the verifier decided.</param>
/// <param name="CleanedQuery">
/// The raw query (no leading <c>?</c>) with every <c>pbs</c>, <c>pbe</c> and <c>pbt</c> parameter removed; the other
/// parameters keep their original order and encoding. Use this, never the raw query, for the cache key.
/// </param>
/// <param name="AccessKey">The form-decoded <c>pbt</c>, when there was exactly one.</param>
/// <param name="ExpiresAtUnixSeconds">The parsed <c>pbe</c>, when it was a finite number (a cap for <c>Cache-Control</c>).</param>
/// <param name="Variant">The signed-string variant that matched, only when <paramref name="Status"/> is <see cref="SignatureStatus.Valid"/>.</param>
public sealed record SignatureVerification(
    SignatureStatus Status,
    string CleanedQuery,
    string? AccessKey = null,
    double? ExpiresAtUnixSeconds = null,
    SignedStringVariant? Variant = null)
{
    /// <summary>True when <see cref="Status"/> is <see cref="SignatureStatus.Valid"/>.</summary>
    public bool IsValid => Status == SignatureStatus.Valid;
}
