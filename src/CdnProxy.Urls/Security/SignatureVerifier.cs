using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CdnProxy.Urls.Security;

/// <summary>
/// Checks the <c>pbs</c>/<c>pbe</c>/<c>pbt</c> signature of a request before anything else parses it (architecture §2.3,
/// stage 2). Pure and allocation-light; never throws on hostile input.
/// </summary>
/// <remarks>
/// <para>The official SDKs sign different strings (spec §5.2), so <c>pbs</c> is compared, in constant time, with the
/// HMAC of the accepted variants (see <see cref="SignedStringVariant"/>), in a fixed order, stopping at the first match;
/// a candidate byte-identical to one already tried is not hashed again, and a mismatch always tries every variant the
/// URL has, so the time of a rejection depends on the URL and never on how close <c>pbs</c> was. In each, <c>path</c> is the raw request path
/// without its leading <c>/</c>, <c>query</c> is the raw query with <c>pbs</c>, <c>pbe</c> and <c>pbt</c> removed
/// (order and encoding kept), and <c>pbe</c> is the expiry text exactly as given in the URL (form-decoded).</para>
/// <para>Order of checks: no <c>pbs</c> → <see cref="SignatureStatus.Missing"/>; unreadable parameters →
/// <see cref="SignatureStatus.Malformed"/>; unknown <c>pbt</c> → <see cref="SignatureStatus.UnknownKey"/>;
/// <c>now &gt; pbe + skew</c> → <see cref="SignatureStatus.Expired"/>; <c>pbe</c> beyond the optional maximum lifetime →
/// <see cref="SignatureStatus.LifetimeExceeded"/>; no variant matches, or the key does not sign for the URL's cloud →
/// <see cref="SignatureStatus.Invalid"/>.</para>
/// </remarks>
public static class SignatureVerifier
{
    /// <summary>The length of <c>pbs</c>: hex of a 32-byte HMAC-SHA256.</summary>
    public const int SignatureHexLength = 64;

    private const int MaxExpiryTextLength = 32;

    /// <summary>Digits before the point of a <c>pbe</c> without exponent: 9999999999 is 2286-11-20.</summary>
    private const int MaxPlainExpiryDigits = 10;

    private static readonly SearchValues<char> AsciiDigits = SearchValues.Create("0123456789");

    /// <summary>Verifies the signature of one request.</summary>
    /// <param name="rawPath">The request path as received: percent-encoded, starting with <c>/</c>, no query.</param>
    /// <param name="rawQuery">The raw query string, with or without its leading <c>?</c>; null or empty when there is none.</param>
    /// <param name="keyRing">The accepted keys.</param>
    /// <param name="time">The clock that <c>pbe</c> is checked against.</param>
    /// <param name="options">Clock skew, maximum lifetime, whether a query may go unsigned; <see cref="SignatureVerifierOptions.Default"/> when null.</param>
    /// <param name="cloud">
    /// The cloud the URL addresses. A key limited to other clouds (<see cref="SigningKey.Clouds"/>) does not sign it:
    /// <see cref="SignatureStatus.Invalid"/>, as a wrong signature. Null when unknown: only keys for every cloud sign.
    /// </param>
    /// <returns>The status and the query without the signature parameters.</returns>
    public static SignatureVerification Verify(
        string rawPath,
        string? rawQuery,
        SigningKeyRing keyRing,
        TimeProvider time,
        SignatureVerifierOptions? options = null,
        string? cloud = null)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        ArgumentNullException.ThrowIfNull(keyRing);
        ArgumentNullException.ThrowIfNull(time);
        options ??= SignatureVerifierOptions.Default;

        ReadOnlySpan<char> query = rawQuery;
        if (query.StartsWith('?'))
        {
            query = query[1..];
        }

        var parameters = SignatureParameters.Extract(query);
        var cleaned = parameters.CleanedQuery;
        if (parameters.PbsCount == 0)
        {
            return new(SignatureStatus.Missing, cleaned);
        }

        if (parameters.PbsCount != 1 || parameters.PbeCount != 1 || parameters.PbtCount != 1
            || !TryParseExpiry(parameters.Pbe, out var expiresAt))
        {
            return new(SignatureStatus.Malformed, cleaned, parameters.PbtCount == 1 ? parameters.Pbt.ToString() : null);
        }

        Span<byte> expected = stackalloc byte[SignatureHexLength / 2];
        if (!TryDecodeHex(parameters.Pbs, expected))
        {
            return new(SignatureStatus.Malformed, cleaned, parameters.Pbt.ToString(), expiresAt);
        }

        if (!keyRing.TryGetEntry(parameters.Pbt, out var key))
        {
            return new(SignatureStatus.UnknownKey, cleaned, parameters.Pbt.ToString(), expiresAt);
        }

        var accessKey = key.Key.AccessKey; // Equal to pbt (ordinal lookup), without allocating a copy of it.
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

        var path = rawPath.AsSpan();
        if (path.StartsWith('/'))
        {
            path = path[1..];
        }

        // A key used outside its clouds is refused as a wrong signature is (same status, after the same checks and the
        // hashing), so a refusal does not tell which clouds a key signs for.
        var variant = Match(path, cleaned, parameters.Pbe, key.TokenUtf8, expected, options.AllowUnsignedQuery);
        return variant is null || !key.Key.SignsFor(cloud)
            ? new(SignatureStatus.Invalid, cleaned, accessKey, expiresAt)
            : new(SignatureStatus.Valid, cleaned, accessKey, expiresAt, variant);
    }

    /// <summary>
    /// Builds the candidate signed strings in the order of <see cref="SignedStringVariant"/> and returns the first whose
    /// HMAC equals <paramref name="expected"/>. Every comparison is constant-time; which candidates exist depends only
    /// on the URL (and <paramref name="allowUnsignedQuery"/>), so a mismatch costs the same whatever
    /// <paramref name="expected"/> holds. The path-only variants are tried only when there is no query to authenticate,
    /// unless <paramref name="allowUnsignedQuery"/>.
    /// </summary>
    private static SignedStringVariant? Match(
        ReadOnlySpan<char> path, string cleanedQuery, ReadOnlySpan<char> pbe, byte[] key, ReadOnlySpan<byte> expected, bool allowUnsignedQuery)
    {
        ReadOnlySpan<char> query = cleanedQuery;
        var hasQuery = query.Length > 0;
        var pathHasEscapedEscape = HasEscapedEscape(path);

        // Room for every candidate at once (earlier ones are kept to skip identical later ones). Per candidate at most
        // 9 bytes per path character (encodeURI of a 3-byte UTF-8 character), 15 per query character (the original
        // query form: up to 3 decoded bytes, each written as %25XX), the '?' and pbe.
        var perCandidate = JsUriEncoding.MaxEncodedLength(path.Length) + (15L * query.Length) + 1 + pbe.Length;
        var scratchLength = hasQuery ? PercentEncoding.MaxDecodedLength(query.Length) : 0;
        var total = checked((int)((Candidates.MaxCount * perCandidate) + scratchLength));
        var rented = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            Span<int> ends = stackalloc int[Candidates.MaxCount];
            var buffer = rented.AsSpan(0, total);
            var candidates = new Candidates(buffer[scratchLength..], ends, key, expected);
            var scratch = buffer[..scratchLength];

            // JsEncodeUri: encodeURI(path + ?query) + pbe. For a plain ASCII URL this is also the raw path and query.
            var pathEncodes = JsUriEncoding.TryEncodeUtf8(path, candidates.Free, out var pathLength);
            if (pathEncodes)
            {
                var free = candidates.Free;
                var length = pathLength;
                var queryEncodes = true;
                if (hasQuery)
                {
                    free[length++] = (byte)'?';
                    queryEncodes = JsUriEncoding.TryEncodeUtf8(query, free[length..], out var queryLength);
                    length += queryLength;
                }

                if (queryEncodes && candidates.Try(length + WriteAscii(pbe, free[length..])))
                {
                    return SignedStringVariant.JsEncodeUri;
                }
            }

            if (hasQuery)
            {
                // JsEncodeUriOriginalQuery, with flags as bare names, then as "name=". The original query is ASCII, so
                // the candidate exists exactly when the path encodes.
                if (pathEncodes)
                {
                    foreach (var emptyValueAsBareName in (ReadOnlySpan<bool>)[true, false])
                    {
                        var free = candidates.Free;
                        JsUriEncoding.TryEncodeUtf8(path, free, out var length);
                        free[length++] = (byte)'?';
                        length += WriteEncodedOriginalQuery(query, emptyValueAsBareName, free[length..], scratch);
                        if (candidates.Try(length + WriteAscii(pbe, free[length..])))
                        {
                            return SignedStringVariant.JsEncodeUriOriginalQuery;
                        }
                    }
                }

                // RawPathAndQuery: UTF-8 of path + ?query + pbe.
                if (!pathHasEscapedEscape && !HasEscapedEscape(query))
                {
                    var free = candidates.Free;
                    var length = PercentEncoding.Utf8.GetBytes(path, free);
                    free[length++] = (byte)'?';
                    length += PercentEncoding.Utf8.GetBytes(query, free[length..]);
                    if (candidates.Try(length + WriteAscii(pbe, free[length..])))
                    {
                        return SignedStringVariant.RawPathAndQuery;
                    }
                }
            }

            if (hasQuery && !allowUnsignedQuery)
            {
                return null; // A signature over the path alone would leave the query unauthenticated.
            }

            // RawPath: UTF-8 of path + pbe.
            if (!pathHasEscapedEscape)
            {
                var free = candidates.Free;
                var length = PercentEncoding.Utf8.GetBytes(path, free);
                if (candidates.Try(length + WriteAscii(pbe, free[length..])))
                {
                    return SignedStringVariant.RawPath;
                }
            }

            // DecodedPath: percent-decoded path bytes + pbe. A decoded %2F or %3F is a '/' or '?' in the Go SDK's signed
            // string, while the server serves the file whose name holds them (the request path keeps %2F): not tried.
            if (path.Contains('%') && !pathHasEscapedEscape
                && !path.Contains("%2F", StringComparison.OrdinalIgnoreCase) && !path.Contains("%3F", StringComparison.OrdinalIgnoreCase))
            {
                var free = candidates.Free;
                var length = PercentEncoding.DecodeTo(path, plusAsSpace: false, free);
                if (candidates.Try(length + WriteAscii(pbe, free[length..])))
                {
                    return SignedStringVariant.DecodedPath;
                }
            }

            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// True when <paramref name="text"/> holds an escaped escape, <c>%25</c> and two hex digits: what <c>encodeURI</c>
    /// makes of an escape such as <c>%20</c>. Read raw (C#, Python) or decoded (Go), such a signed string names another
    /// file than the JS SDK signed (<c>a%20b.jpg</c> for <c>a b.jpg</c>), so those variants are not tried on it.
    /// </summary>
    private static bool HasEscapedEscape(ReadOnlySpan<char> text)
    {
        for (var at = text.IndexOf("%25", StringComparison.Ordinal); at >= 0; at = text.IndexOf("%25", StringComparison.Ordinal))
        {
            if (at + 4 < text.Length && PercentEncoding.IsHex(text[at + 3]) && PercentEncoding.IsHex(text[at + 4]))
            {
                return true;
            }

            text = text[(at + 3)..];
        }

        return false;
    }

    /// <summary>Writes <paramref name="text"/>, already checked to be ASCII, one byte per character.</summary>
    private static int WriteAscii(ReadOnlySpan<char> text, Span<byte> destination)
    {
        Ascii.FromUtf16(text, destination, out var written);
        return written;
    }

    /// <summary>
    /// Writes <c>encodeURI(original(query))</c>: undoes the JS SDK's <c>URLSearchParams</c> re-serialisation as far as
    /// it can be undone. Each name and value is form-decoded and re-encoded as a WHATWG URL leaves a hand-written query
    /// (only controls, space, non-ASCII, <c>" # &lt; &gt; '</c> and the delimiters <c>% &amp; + =</c> escaped), and that
    /// ASCII text is then passed through <c>encodeURI</c>. With <paramref name="emptyValueAsBareName"/>, <c>name=</c>
    /// becomes a bare <c>name</c> (a flag such as <c>?download</c>); otherwise it stays <c>name=</c>. <c>scratch</c>
    /// holds <see cref="PercentEncoding.MaxDecodedLength"/> of the query length.
    /// </summary>
    private static int WriteEncodedOriginalQuery(
        ReadOnlySpan<char> formQuery, bool emptyValueAsBareName, Span<byte> destination, Span<byte> scratch)
    {
        var written = 0;
        var rest = formQuery;
        while (true)
        {
            var ampersand = rest.IndexOf('&');
            var piece = ampersand < 0 ? rest : rest[..ampersand];
            var equals = piece.IndexOf('=');
            written += WriteEncodedOriginalText(FormDecodeToBytes(equals < 0 ? piece : piece[..equals], scratch), destination[written..]);
            var value = equals < 0 ? [] : FormDecodeToBytes(piece[(equals + 1)..], scratch);
            if (value.Length > 0 || (equals >= 0 && !emptyValueAsBareName))
            {
                destination[written++] = (byte)'=';
                written += WriteEncodedOriginalText(value, destination[written..]);
            }

            if (ampersand < 0)
            {
                return written;
            }

            destination[written++] = (byte)'&';
            rest = rest[(ampersand + 1)..];
        }
    }

    /// <summary>
    /// The UTF-8 bytes of the form-decoded text of <paramref name="value"/>, as <c>Utf8.GetBytes(FormDecode(value))</c>
    /// would give them (invalid UTF-8 becomes U+FFFD), in <paramref name="scratch"/> when the decoded bytes are valid.
    /// </summary>
    private static ReadOnlySpan<byte> FormDecodeToBytes(ReadOnlySpan<char> value, Span<byte> scratch)
    {
        var decoded = scratch[..PercentEncoding.DecodeTo(value, plusAsSpace: true, scratch)];
        return System.Text.Unicode.Utf8.IsValid(decoded)
            ? decoded
            : PercentEncoding.Utf8.GetBytes(PercentEncoding.Utf8.GetString(decoded));
    }

    /// <summary>Writes each byte as the original query holds it (escaped or raw), then as <c>encodeURI</c> encodes that.</summary>
    private static int WriteEncodedOriginalText(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        var written = 0;
        foreach (var b in text)
        {
            if (IsEscapedInOriginalQuery(b))
            {
                // "%XX" in the original; encodeURI turns its '%' into "%25" and keeps the hex digits.
                destination[written++] = (byte)'%';
                destination[written++] = (byte)'2';
                destination[written++] = (byte)'5';
                destination[written++] = PercentEncoding.UpperHexDigit(b >> 4);
                destination[written++] = PercentEncoding.UpperHexDigit(b & 0xF);
            }
            else if (JsUriEncoding.IsKept((char)b))
            {
                destination[written++] = b; // Printable ASCII kept raw in the original and by encodeURI.
            }
            else
            {
                written += PercentEncoding.WriteEscaped(b, destination[written..]); // Raw in the original, escaped by encodeURI.
            }
        }

        return written;
    }

    private static bool IsEscapedInOriginalQuery(byte b) =>
        b <= 0x20 || b > 0x7E || b is (byte)'"' or (byte)'#' or (byte)'<' or (byte)'>' or (byte)'\'' or (byte)'%' or (byte)'&' or (byte)'+' or (byte)'=';

    /// <summary>
    /// Reads <c>pbe</c>. The signed string ends with the URL and then <c>pbe</c>, with nothing between, so digits at the
    /// end of a signed URL (<c>?v=12</c>, <c>img10</c>) can be moved to the front of <c>pbe</c> without changing it:
    /// <c>v=1</c> and <c>pbe=21700000060</c> would sign as <c>v=12</c> and <c>pbe=1700000060</c>, six centuries later,
    /// and a moved <c>0</c> serves another file. So a <c>pbe</c> starts with 1-9 and, unless it is written with an
    /// exponent (as JS prints 10^21 and more, already "never"), has at most ten digits before its point: until
    /// 2286-11-20, which a moved digit always passes.
    /// </summary>
    private static bool TryParseExpiry(ReadOnlySpan<char> text, out double expiresAt)
    {
        expiresAt = 0;
        if (text.IsEmpty || text.Length > MaxExpiryTextLength || text[0] is < '1' or > '9' || HasTooManyPlainDigits(text))
        {
            return false;
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

    private static bool HasTooManyPlainDigits(ReadOnlySpan<char> expiry)
    {
        if (expiry.IndexOfAny('e', 'E') >= 0)
        {
            return false;
        }

        var end = expiry.IndexOfAnyExcept(AsciiDigits);
        return (end < 0 ? expiry.Length : end) > MaxPlainExpiryDigits;
    }

    private static bool TryDecodeHex(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (text.Length != destination.Length * 2)
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

    /// <summary>
    /// True when form-decoding <paramref name="text"/> could change it: a <c>%</c>, a <c>+</c> or a surrogate (a lone
    /// one becomes U+FFFD). Anything else decodes to itself, so the raw slice can be used as it is.
    /// </summary>
    private static bool NeedsFormDecoding(ReadOnlySpan<char> text) =>
        text.ContainsAny('%', '+') || text.ContainsAnyInRange('\uD800', '\uDFFF');

    /// <summary>The signature parameters of a query (form-decoded, as slices of the query when decoding changes
    /// nothing), and the query without them.</summary>
    private ref struct SignatureParameters
    {
        public string CleanedQuery;
        public ReadOnlySpan<char> Pbs;
        public ReadOnlySpan<char> Pbe;
        public ReadOnlySpan<char> Pbt;
        public int PbsCount;
        public int PbeCount;
        public int PbtCount;

        public static SignatureParameters Extract(ReadOnlySpan<char> query)
        {
            var result = new SignatureParameters { CleanedQuery = string.Empty };
            if (query.IsEmpty)
            {
                return result;
            }

            char[]? rented = null;
            var kept = query.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(query.Length));
            var keptLength = 0;
            var keptAny = false;
            var rest = query;
            while (true)
            {
                var ampersand = rest.IndexOf('&');
                var piece = ampersand < 0 ? rest : rest[..ampersand];
                var equals = piece.IndexOf('=');
                var value = equals < 0 ? [] : piece[(equals + 1)..];
                switch (SignatureParameterName(equals < 0 ? piece : piece[..equals]))
                {
                    case 's':
                        result.Pbs = FormDecoded(value);
                        result.PbsCount++;
                        break;
                    case 'e':
                        result.Pbe = FormDecoded(value);
                        result.PbeCount++;
                        break;
                    case 't':
                        result.Pbt = FormDecoded(value);
                        result.PbtCount++;
                        break;
                    default:
                        if (keptAny)
                        {
                            kept[keptLength++] = '&';
                        }

                        piece.CopyTo(kept[keptLength..]);
                        keptLength += piece.Length;
                        keptAny = true;
                        break;
                }

                if (ampersand < 0)
                {
                    break;
                }

                rest = rest[(ampersand + 1)..];
            }

            result.CleanedQuery = keptLength == 0 ? string.Empty : new string(kept[..keptLength]);
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }

            return result;
        }

        /// <summary>'s', 'e' or 't' when the form-decoded <paramref name="rawName"/> is <c>pbs</c>, <c>pbe</c> or <c>pbt</c>.</summary>
        private static char SignatureParameterName(ReadOnlySpan<char> rawName)
        {
            // Each decoded byte takes at most 3 characters ("%XX"), so only up to 9 characters can decode to "pbX".
            var name = !NeedsFormDecoding(rawName) ? rawName
                : rawName.Length <= 9 ? PercentEncoding.FormDecode(rawName)
                : [];
            return name.Length == 3 && name[0] == 'p' && name[1] == 'b' && name[2] is 's' or 'e' or 't' ? name[2] : '\0';
        }

        private static ReadOnlySpan<char> FormDecoded(ReadOnlySpan<char> rawValue) =>
            NeedsFormDecoding(rawValue) ? PercentEncoding.FormDecode(rawValue) : rawValue;
    }

    /// <summary>
    /// The candidate signed strings tried so far, one after the other in a buffer, and the HMAC check of a new one.
    /// </summary>
    private ref struct Candidates(Span<byte> buffer, Span<int> ends, byte[] key, ReadOnlySpan<byte> expected)
    {
        /// <summary>The most candidates one URL has: the five variants, the original query in two forms.</summary>
        public const int MaxCount = 6;

        private readonly Span<byte> _buffer = buffer;
        private readonly Span<int> _ends = ends;
        private readonly ReadOnlySpan<byte> _expected = expected;
        private int _count;
        private int _used;

        /// <summary>Where the next candidate is written.</summary>
        public readonly Span<byte> Free => _buffer[_used..];

        /// <summary>
        /// Checks the candidate of <paramref name="length"/> bytes just written at <see cref="Free"/>: false without
        /// hashing when it is byte-identical to a candidate already tried (that one did not match), otherwise whether
        /// its HMAC equals the expected signature (constant-time comparison).
        /// </summary>
        public bool Try(int length)
        {
            var candidate = _buffer.Slice(_used, length);
            var start = 0;
            for (var i = 0; i < _count; i++)
            {
                if (candidate.SequenceEqual(_buffer[start.._ends[i]]))
                {
                    return false;
                }

                start = _ends[i];
            }

            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(key, candidate, mac);
            _used += length;
            _ends[_count++] = _used;
            return CryptographicOperations.FixedTimeEquals(mac, _expected);
        }
    }
}
