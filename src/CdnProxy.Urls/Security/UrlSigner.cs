using System.Security.Cryptography;
using System.Text;

namespace CdnProxy.Urls.Security;

/// <summary>
/// Signs a CDN URL exactly as the JS admin SDK's <c>security.signURL(url, expirySeconds, accessKey, token)</c> does
/// (spec §5.1), so the output string is byte-for-byte what that SDK prints.
/// </summary>
/// <remarks>
/// <para>The signed string is <c>encodeURI(pathname + search)</c> with one leading <c>/</c> removed, followed by the
/// JavaScript text of <c>pbe</c>; <c>pathname</c> and <c>search</c> are the WHATWG-normalised path and query of the
/// input (spaces and non-ASCII already percent-encoded, so <c>encodeURI</c> encodes their <c>%</c> again).
/// <c>pbs</c> is the lowercase hex HMAC-SHA256 of that string keyed with the token's UTF-8 bytes.</para>
/// <para>The query is then re-serialised as application/x-www-form-urlencoded with <c>pbs</c>, <c>pbe</c> and
/// <c>pbt</c> set in that order, so existing parameters may change form (<c>a%20b</c> → <c>a+b</c>, <c>~</c> → <c>%7E</c>).
/// A fragment stays at the end.</para>
/// <para>Unlike the SDK, when the server could not rebuild the query it signed from the re-serialised one (an escaped
/// unreserved character such as <c>%41</c>, a lowercase escape, an empty pair <c>&amp;&amp;</c>, invalid UTF-8, a
/// mix of <c>name=</c> and bare flags, a <c>pbe</c> of the caller's), the query is signed as it is sent: the SDK's URL
/// would be refused (401) whatever the key.</para>
/// </remarks>
public static class UrlSigner
{
    /// <summary>
    /// The longest lifetime a URL can be signed for: 100 years of 365.25 days. Far beyond any real use, yet
    /// <c>pbe</c> stays a plain integer (the SDK would print <c>1e+300</c> for a huge expiry).
    /// </summary>
    public const long MaxExpirySeconds = 3_155_760_000;

    /// <summary>Signs <paramref name="url"/> with the current time of <paramref name="time"/>.</summary>
    /// <param name="url">An absolute http(s) URL.</param>
    /// <param name="expirySeconds">Seconds the URL stays valid: a whole number from 1 to <see cref="MaxExpirySeconds"/>.</param>
    /// <param name="accessKey">The access key written as <c>pbt</c>.</param>
    /// <param name="token">The secret token; its UTF-8 bytes key the HMAC.</param>
    /// <param name="time">The clock; <c>pbe = floor(now in seconds) + expirySeconds</c>.</param>
    /// <returns>The signed URL.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="expirySeconds"/> is not a whole number from 1 to <see cref="MaxExpirySeconds"/>.</exception>
    /// <exception cref="ArgumentException">When an argument is empty, the URL is invalid, or it already has <c>pbs</c> ("URL already has a signature").</exception>
    public static string Sign(string url, double expirySeconds, string accessKey, string token, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Sign(url, expirySeconds, accessKey, token, time.GetUtcNow());
    }

    /// <summary>Signs <paramref name="url"/> as if the current time were <paramref name="now"/>.</summary>
    /// <param name="url">An absolute http(s) URL.</param>
    /// <param name="expirySeconds">Seconds the URL stays valid: a whole number from 1 to <see cref="MaxExpirySeconds"/>.</param>
    /// <param name="accessKey">The access key written as <c>pbt</c>.</param>
    /// <param name="token">The secret token; its UTF-8 bytes key the HMAC.</param>
    /// <param name="now">The signing time; <c>pbe = floor(now in Unix seconds) + expirySeconds</c>.</param>
    /// <returns>The signed URL.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="expirySeconds"/> is not a whole number from 1 to <see cref="MaxExpirySeconds"/>.</exception>
    /// <exception cref="ArgumentException">When an argument is empty, the URL is invalid, or it already has <c>pbs</c> ("URL already has a signature").</exception>
    public static string Sign(string url, double expirySeconds, string accessKey, string token, DateTimeOffset now)
    {
        // The SDK requires url, accessKey and token to be truthy.
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentException.ThrowIfNullOrEmpty(accessKey);
        ArgumentException.ThrowIfNullOrEmpty(token);
        // Stricter than the SDK, which takes any non-zero number: a negative expiry signs an already expired URL, a
        // fractional one a fractional pbe, a huge one pbe=1e+300. None is what a caller means.
        if (!IsValidExpiry(expirySeconds))
        {
            throw new ArgumentOutOfRangeException(
                nameof(expirySeconds), expirySeconds, $"expirySeconds must be a whole number of seconds from 1 to {MaxExpirySeconds}.");
        }

        var parsed = WhatwgUrl.Parse(url);
        var parameters = SearchParams.Parse(parsed.Query ?? string.Empty);
        if (parameters.Has("pbs"))
        {
            throw new ArgumentException("URL already has a signature", nameof(url));
        }

        var pbe = JsNumber.ToJsString(Math.Floor(now.ToUnixTimeMilliseconds() / 1000.0) + expirySeconds);
        var sentQuery = parameters.ToString();
        var signed = WithSignature(parsed, parameters, SignedString(parsed.Pathname + parsed.Search, pbe), pbe, accessKey, token);
        if (ServerVerifies(signed, accessKey, token, now))
        {
            return signed;
        }

        // Like the SDK, the query was signed as given and is sent re-serialised. Where the server cannot rebuild the given
        // form from the one it receives (an escaped letter such as %41, lowercase escapes, '&&', invalid UTF-8, a pbe of
        // the caller's), that signature could never be verified: sign the query as it is sent, without the signature
        // parameters, as the server checks it.
        var sentParameters = SearchParams.Parse(sentQuery);
        sentParameters.Delete("pbe");
        sentParameters.Delete("pbt");
        var kept = sentParameters.ToString();
        var sent = kept.Length == 0 ? parsed.Pathname : parsed.Pathname + "?" + kept;
        return WithSignature(parsed, sentParameters, SignedString(sent, pbe), pbe, accessKey, token);
    }

    private static string WithSignature(WhatwgUrl url, SearchParams parameters, string signedString, string pbe, string accessKey, string token)
    {
        parameters.Set("pbs", ComputeSignature(signedString, token));
        parameters.Set("pbe", pbe);
        parameters.Set("pbt", accessKey);
        return url.ToHref(parameters.ToString());
    }

    /// <summary>Whether a server holding this one key, at <paramref name="now"/>, accepts <paramref name="signedUrl"/>.</summary>
    private static bool ServerVerifies(string signedUrl, string accessKey, string token, DateTimeOffset now)
    {
        var url = WhatwgUrl.Parse(signedUrl);
        var ring = new SigningKeyRing([new SigningKey(accessKey, token)]);
        return SignatureVerifier.Verify(url.Pathname, url.Query, ring, new FixedClock(now)).IsValid;
    }

    /// <summary>A clock that always reads the signing time.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Whether <see cref="Sign(string, double, string, string, DateTimeOffset)"/> takes <paramref name="expirySeconds"/>.</summary>
    /// <param name="expirySeconds">The candidate lifetime in seconds.</param>
    /// <returns>True for a whole number from 1 to <see cref="MaxExpirySeconds"/>.</returns>
    public static bool IsValidExpiry(double expirySeconds) =>
        expirySeconds is >= 1 and <= MaxExpirySeconds && Math.Floor(expirySeconds) == expirySeconds;

    /// <summary>
    /// The JS SDK's signed string: <c>encodeURI</c> of <paramref name="pathAndQuery"/> without one leading <c>/</c>,
    /// followed by <paramref name="pbe"/>.
    /// </summary>
    /// <param name="pathAndQuery">WHATWG <c>pathname + search</c>, e.g. <c>/v2/demo/original/a.jpg?dpr=2</c>.</param>
    /// <param name="pbe">The expiry as it appears in the URL, e.g. <c>1700003600</c>.</param>
    /// <returns>The string whose HMAC is <c>pbs</c>.</returns>
    /// <exception cref="ArgumentException">When <paramref name="pathAndQuery"/> holds a lone surrogate.</exception>
    public static string SignedString(string pathAndQuery, string pbe)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        ArgumentNullException.ThrowIfNull(pbe);
        var path = pathAndQuery.StartsWith('/') ? pathAndQuery[1..] : pathAndQuery;
        return JsUriEncoding.EncodeUri(path) + pbe;
    }

    /// <summary>Lowercase hex HMAC-SHA256 of <paramref name="signedString"/> (UTF-8) keyed with <paramref name="token"/> (UTF-8).</summary>
    /// <param name="signedString">The exact string to sign.</param>
    /// <param name="token">The secret token.</param>
    /// <returns>64 lowercase hex digits.</returns>
    public static string ComputeSignature(string signedString, string token)
    {
        ArgumentNullException.ThrowIfNull(signedString);
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(signedString)));
    }
}
