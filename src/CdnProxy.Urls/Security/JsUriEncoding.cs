using System.Buffers;
using System.Text;

namespace CdnProxy.Urls.Security;

/// <summary>
/// JavaScript's global <c>encodeURI</c>, reproduced exactly (ECMA-262 §19.2.6.5): the characters
/// <c>A–Z a–z 0–9 ; , / ? : @ &amp; = + $ - _ . ! ~ * ' ( ) #</c> are kept, everything else is written as uppercase
/// percent-encoded UTF-8, <c>%</c> included, so an already escaped <c>%20</c> becomes <c>%2520</c>.
/// </summary>
public static class JsUriEncoding
{
    private const string KeptPunctuation = ";,/?:@&=+$-_.!~*'()#";

    /// <summary>Every character <c>encodeURI</c> leaves as it is.</summary>
    private static readonly SearchValues<char> Kept =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + KeptPunctuation);

    /// <summary>The most bytes <see cref="TryEncodeUtf8"/> can write for <paramref name="length"/> characters: 9 per
    /// character (a BMP character of three UTF-8 bytes, each written as <c>%XX</c>).</summary>
    internal static long MaxEncodedLength(int length) => 9L * length;

    /// <summary>Encodes <paramref name="value"/> as JavaScript's <c>encodeURI</c> does.</summary>
    /// <param name="value">Any string.</param>
    /// <returns>The encoded string, ASCII only.</returns>
    /// <exception cref="ArgumentException">When <paramref name="value"/> holds a lone surrogate (JavaScript throws <c>URIError: URI malformed</c>).</exception>
    public static string EncodeUri(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryEncodeUri(value, out var encoded)
            ? encoded
            : throw new ArgumentException("URI malformed: the string contains a lone surrogate.", nameof(value));
    }

    /// <summary>Encodes <paramref name="value"/> as JavaScript's <c>encodeURI</c> does, without throwing.</summary>
    /// <param name="value">Any string.</param>
    /// <param name="encoded">The encoded string, or an empty string when the method returns <see langword="false"/>.</param>
    /// <returns><see langword="false"/> when <paramref name="value"/> holds a lone surrogate.</returns>
    public static bool TryEncodeUri(string value, out string encoded)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsKept(c))
            {
                builder.Append(c);
                continue;
            }

            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                rune = new Rune(c, value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                encoded = string.Empty;
                return false;
            }
            else
            {
                rune = new Rune(c);
            }

            var length = rune.EncodeToUtf8(utf8);
            PercentEncoding.AppendEscaped(builder, utf8[..length]);
        }

        encoded = builder.ToString();
        return true;
    }

    /// <summary>True for the characters <c>encodeURI</c> leaves as they are.</summary>
    internal static bool IsKept(char c) =>
        char.IsAsciiLetterOrDigit(c) || (c < 0x80 && KeptPunctuation.Contains(c, StringComparison.Ordinal));

    /// <summary>
    /// <see cref="TryEncodeUri"/> written as ASCII bytes into <paramref name="destination"/>, which must hold
    /// <see cref="MaxEncodedLength"/> bytes. Runs of kept characters are copied in bulk.
    /// </summary>
    /// <returns><see langword="false"/> when <paramref name="value"/> holds a lone surrogate.</returns>
    internal static bool TryEncodeUtf8(ReadOnlySpan<char> value, Span<byte> destination, out int written)
    {
        written = 0;
        Span<byte> utf8 = stackalloc byte[4];
        var i = 0;
        while (i < value.Length)
        {
            var run = value[i..].IndexOfAnyExcept(Kept);
            var keptLength = run < 0 ? value.Length - i : run;
            if (keptLength > 0)
            {
                // Kept characters are ASCII: one byte each.
                System.Text.Ascii.FromUtf16(value.Slice(i, keptLength), destination[written..], out var copied);
                written += copied;
                i += keptLength;
                if (i == value.Length)
                {
                    break;
                }
            }

            var c = value[i];
            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                rune = new Rune(c, value[i + 1]);
                i += 2;
            }
            else if (char.IsSurrogate(c))
            {
                written = 0;
                return false;
            }
            else
            {
                rune = new Rune(c);
                i++;
            }

            var length = rune.EncodeToUtf8(utf8);
            for (var k = 0; k < length; k++)
            {
                written += PercentEncoding.WriteEscaped(utf8[k], destination[written..]);
            }
        }

        return true;
    }
}
