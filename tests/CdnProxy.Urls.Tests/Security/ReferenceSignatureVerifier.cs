using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

using CdnProxy.Urls.Security;

namespace CdnProxy.Urls.Tests.Security;

/// <summary>
/// REFERENCE ONLY: the straightforward verifier as it was before the allocation-free rewrite (every candidate
/// computed as a string, no early exit), kept so that <see cref="SignatureVerifierDifferentialTests"/> can check that the
/// fast <see cref="SignatureVerifier"/> returns exactly the same results. Do not use outside tests.
/// Checks the <c>pbs</c>/<c>pbe</c>/<c>pbt</c> signature of a request before anything else parses it (architecture §2.3,
/// stage 2). Pure and allocation-light; never throws on hostile input.
/// </summary>
/// <remarks>
/// <para>The official SDKs sign different strings (spec §5.2), so <c>pbs</c> is compared, in constant time, with the
/// HMAC of every accepted variant (see <see cref="SignedStringVariant"/>). In each, <c>path</c> is the raw request path
/// without its leading <c>/</c>, <c>query</c> is the raw query with <c>pbs</c>, <c>pbe</c> and <c>pbt</c> removed
/// (order and encoding kept), and <c>pbe</c> is the expiry text exactly as given in the URL (form-decoded).</para>
/// <para>Order of checks: no <c>pbs</c> → <see cref="SignatureStatus.Missing"/>; unreadable parameters →
/// <see cref="SignatureStatus.Malformed"/>; unknown <c>pbt</c> → <see cref="SignatureStatus.UnknownKey"/>;
/// <c>now &gt; pbe + skew</c> → <see cref="SignatureStatus.Expired"/>; <c>pbe</c> beyond the optional maximum lifetime →
/// <see cref="SignatureStatus.LifetimeExceeded"/>; no variant matches → <see cref="SignatureStatus.Invalid"/>.</para>
/// </remarks>
internal static class ReferenceSignatureVerifier
{
    /// <summary>The length of <c>pbs</c>: hex of a 32-byte HMAC-SHA256.</summary>
    private const int SignatureHexLength = 64;

    private const int MaxExpiryTextLength = 32;

    /// <summary>Verifies the signature of one request.</summary>
    /// <param name="rawPath">The request path as received: percent-encoded, starting with <c>/</c>, no query.</param>
    /// <param name="rawQuery">The raw query string, with or without its leading <c>?</c>; null or empty when there is none.</param>
    /// <param name="keyRing">The accepted keys.</param>
    /// <param name="time">The clock that <c>pbe</c> is checked against.</param>
    /// <param name="options">Clock skew, maximum lifetime, whether a query may go unsigned; <see cref="SignatureVerifierOptions.Default"/> when null.</param>
    /// <param name="candidates">When not null, receives every candidate signed string that was hashed, in order.</param>
    /// <returns>The status and the query without the signature parameters.</returns>
    public static SignatureVerification Verify(
        string rawPath,
        string? rawQuery,
        SigningKeyRing keyRing,
        TimeProvider time,
        SignatureVerifierOptions? options = null,
        List<(SignedStringVariant Variant, byte[] Message)>? candidates = null)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        ArgumentNullException.ThrowIfNull(keyRing);
        ArgumentNullException.ThrowIfNull(time);
        options ??= SignatureVerifierOptions.Default;

        var parameters = SignatureParameters.Extract(rawQuery ?? string.Empty);
        var cleaned = parameters.CleanedQuery;
        if (parameters.PbsCount == 0)
        {
            return new(SignatureStatus.Missing, cleaned);
        }

        var accessKey = parameters.PbtCount == 1 ? parameters.Pbt : null;
        if (parameters.PbsCount != 1 || parameters.PbeCount != 1 || accessKey is null
            || !TryParseExpiry(parameters.Pbe, out var expiresAt))
        {
            return new(SignatureStatus.Malformed, cleaned, accessKey);
        }

        var expected = new byte[SignatureHexLength / 2];
        if (!TryDecodeHex(parameters.Pbs, expected))
        {
            return new(SignatureStatus.Malformed, cleaned, accessKey, expiresAt);
        }

        if (!keyRing.TryGet(accessKey, out var key))
        {
            return new(SignatureStatus.UnknownKey, cleaned, accessKey, expiresAt);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        var skew = options.ClockSkew.TotalSeconds;
        if (now > expiresAt + skew)
        {
            return new(SignatureStatus.Expired, cleaned, accessKey, expiresAt);
        }

        if (options.MaxLifetime is { } maxLifetime && expiresAt - now > maxLifetime.TotalSeconds + skew)
        {
            return new(SignatureStatus.LifetimeExceeded, cleaned, accessKey, expiresAt);
        }

        var variant = Match(rawPath, cleaned, parameters.Pbe!, key.Token, expected, options.AllowUnsignedQuery, candidates);
        return variant is null
            ? new(SignatureStatus.Invalid, cleaned, accessKey, expiresAt)
            : new(SignatureStatus.Valid, cleaned, accessKey, expiresAt, variant);
    }

    private static readonly Regex ExpiryStart = new("^[1-9]", RegexOptions.CultureInvariant);

    private static readonly Regex PlainExpiryPastTenDigits = new("^[0-9]{11}", RegexOptions.CultureInvariant);

    private static readonly Regex EscapedEscape = new("%25[0-9A-Fa-f]{2}", RegexOptions.CultureInvariant);

    private static readonly Regex EscapedSlashOrQuestionMark = new("%(2[Ff]|3[Ff])", RegexOptions.CultureInvariant);

    /// <summary>Computes every candidate signed string and compares each HMAC with <paramref name="expected"/>.</summary>
    private static SignedStringVariant? Match(
        string rawPath, string cleanedQuery, string pbe, string token, byte[] expected, bool allowUnsignedQuery, List<(SignedStringVariant, byte[])>? candidates)
    {
        var path = rawPath.StartsWith('/') ? rawPath[1..] : rawPath;
        var search = cleanedQuery.Length == 0 ? string.Empty : "?" + cleanedQuery;
        var keyBytes = Encoding.UTF8.GetBytes(token);
        var pbeBytes = Encoding.ASCII.GetBytes(pbe);
        SignedStringVariant? matched = null;

        void Try(SignedStringVariant variant, byte[] message)
        {
            candidates?.Add((variant, message));
            var mac = HMACSHA256.HashData(keyBytes, message);
            if (CryptographicOperations.FixedTimeEquals(mac, expected))
            {
                matched ??= variant;
            }
        }

        if (JsUriEncoding.TryEncodeUri(path + search, out var encoded))
        {
            Try(SignedStringVariant.JsEncodeUri, Encoding.ASCII.GetBytes(encoded + pbe));
        }

        if (search.Length > 0)
        {
            var bareFlags = OriginalQuery(cleanedQuery, emptyValueAsBareName: true);
            var emptyValues = OriginalQuery(cleanedQuery, emptyValueAsBareName: false);
            foreach (var original in bareFlags == emptyValues ? [bareFlags] : new[] { bareFlags, emptyValues })
            {
                if (original != cleanedQuery && JsUriEncoding.TryEncodeUri(path + "?" + original, out var encodedOriginal))
                {
                    Try(SignedStringVariant.JsEncodeUriOriginalQuery, Encoding.ASCII.GetBytes(encodedOriginal + pbe));
                }
            }

            if (!EscapedEscape.IsMatch(path + search))
            {
                Try(SignedStringVariant.RawPathAndQuery, PercentEncoding.Utf8.GetBytes(path + search + pbe));
            }
        }

        if (search.Length > 0 && !allowUnsignedQuery)
        {
            return matched;
        }

        if (EscapedEscape.IsMatch(path))
        {
            return matched; // Read raw or decoded, "%25XX" names another file than the JS SDK signed.
        }

        Try(SignedStringVariant.RawPath, PercentEncoding.Utf8.GetBytes(path + pbe));
        if (path.Contains('%', StringComparison.Ordinal) && !EscapedSlashOrQuestionMark.IsMatch(path))
        {
            Try(SignedStringVariant.DecodedPath, [.. ReferenceDecodeToBytes(path, plusAsSpace: false), .. pbeBytes]);
        }

        return matched;
    }

    /// <summary>
    /// Undoes the JS SDK's <c>URLSearchParams</c> re-serialisation as far as it can be undone: each name and value is
    /// form-decoded and re-encoded as a WHATWG URL leaves a hand-written query (only controls, space, non-ASCII,
    /// <c>" # &lt; &gt; '</c> and the delimiters <c>% &amp; + =</c> escaped). With <paramref name="emptyValueAsBareName"/>,
    /// <c>name=</c> becomes a bare <c>name</c> (a flag such as <c>?download</c>); otherwise it stays <c>name=</c>.
    /// </summary>
    internal static string OriginalQuery(string formQuery, bool emptyValueAsBareName)
    {
        var builder = new StringBuilder(formQuery.Length + 8);
        var first = true;
        foreach (var piece in formQuery.Split('&'))
        {
            if (!first)
            {
                builder.Append('&');
            }

            first = false;
            var equals = piece.IndexOf('=', StringComparison.Ordinal);
            var name = ReferenceFormDecode(equals < 0 ? piece : piece[..equals]);
            PercentEncoding.AppendUtf8Escaped(builder, name, IsEscapedInOriginalQuery);
            var value = equals < 0 ? string.Empty : ReferenceFormDecode(piece.AsSpan(equals + 1));
            if (value.Length > 0 || (equals >= 0 && !emptyValueAsBareName))
            {
                builder.Append('=');
                PercentEncoding.AppendUtf8Escaped(builder, value, IsEscapedInOriginalQuery);
            }
        }

        return builder.ToString();
    }

    private static bool IsEscapedInOriginalQuery(byte b) =>
        b <= 0x20 || b > 0x7E || b is (byte)'"' or (byte)'#' or (byte)'<' or (byte)'>' or (byte)'\'' or (byte)'%' or (byte)'&' or (byte)'+' or (byte)'=';

    private static bool TryParseExpiry(string? text, out double expiresAt)
    {
        expiresAt = 0;
        if (string.IsNullOrEmpty(text) || text.Length > MaxExpiryTextLength || !ExpiryStart.IsMatch(text)
            || (!text.Contains('e', StringComparison.OrdinalIgnoreCase) && PlainExpiryPastTenDigits.IsMatch(text)))
        {
            return false; // Digits moved from the end of the URL to the front of pbe (SignatureVerifier.TryParseExpiry).
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not ('.' or 'e' or 'E' or '+' or '-'))
            {
                return false;
            }
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out expiresAt) && double.IsFinite(expiresAt);
    }

    private static bool TryDecodeHex(string? text, byte[] destination)
    {
        if (text is null || text.Length != destination.Length * 2)
        {
            return false;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            char high = text[2 * i], low = text[(2 * i) + 1];
            if (!PercentEncoding.IsHex(high) || !PercentEncoding.IsHex(low))
            {
                return false;
            }

            destination[i] = (byte)((PercentEncoding.HexValue(high) << 4) | PercentEncoding.HexValue(low));
        }

        return true;
    }

    /// <summary>The signature parameters of a query, and the query without them.</summary>
    private sealed record SignatureParameters(
        string CleanedQuery, string? Pbs, int PbsCount, string? Pbe, int PbeCount, string? Pbt, int PbtCount)
    {
        public static SignatureParameters Extract(string rawQuery)
        {
            var query = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
            if (query.Length == 0)
            {
                return new(string.Empty, null, 0, null, 0, null, 0);
            }

            var kept = new StringBuilder(query.Length);
            var keptAny = false;
            string? pbs = null, pbe = null, pbt = null;
            int pbsCount = 0, pbeCount = 0, pbtCount = 0;
            foreach (var piece in query.Split('&'))
            {
                var equals = piece.IndexOf('=', StringComparison.Ordinal);
                var name = ReferenceFormDecode(equals < 0 ? piece : piece[..equals]);
                var value = equals < 0 ? string.Empty : piece[(equals + 1)..];
                switch (name)
                {
                    case "pbs":
                        pbs = ReferenceFormDecode(value);
                        pbsCount++;
                        break;
                    case "pbe":
                        pbe = ReferenceFormDecode(value);
                        pbeCount++;
                        break;
                    case "pbt":
                        pbt = ReferenceFormDecode(value);
                        pbtCount++;
                        break;
                    default:
                        if (keptAny)
                        {
                            kept.Append('&');
                        }

                        kept.Append(piece);
                        keptAny = true;
                        break;
                }
            }

            return new(kept.ToString(), pbs, pbsCount, pbe, pbeCount, pbt, pbtCount);
        }
    }

    private static byte[] ReferenceDecodeToBytes(ReadOnlySpan<char> value, bool plusAsSpace)
    {
        var output = new List<byte>(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && PercentEncoding.IsHex(value[i + 1]) && PercentEncoding.IsHex(value[i + 2]))
            {
                output.Add((byte)((PercentEncoding.HexValue(value[i + 1]) << 4) | PercentEncoding.HexValue(value[i + 2])));
                i += 2;
            }
            else if (c == '+' && plusAsSpace)
            {
                output.Add((byte)' ');
            }
            else if (c < 0x80)
            {
                output.Add((byte)c);
            }
            else
            {
                var rune = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])
                    ? new Rune(c, value[++i])
                    : Rune.IsValid(c) ? new Rune(c) : Rune.ReplacementChar;
                var length = rune.EncodeToUtf8(utf8);
                output.AddRange(utf8[..length]);
            }
        }

        return [.. output];
    }

    /// <summary>Decodes an application/x-www-form-urlencoded name or value to text (invalid UTF-8 becomes U+FFFD).</summary>
    private static string ReferenceFormDecode(ReadOnlySpan<char> value) => PercentEncoding.Utf8.GetString(ReferenceDecodeToBytes(value, plusAsSpace: true));
}
