using System.Text;

namespace CdnProxy.Urls.Security;

/// <summary>Small percent-encoding helpers shared by the signer and the verifier. None of them throws on bad input.</summary>
internal static class PercentEncoding
{
    private const string UpperHex = "0123456789ABCDEF";

    /// <summary>UTF-8 without a BOM that replaces lone surrogates and invalid bytes with U+FFFD instead of throwing.</summary>
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Appends each byte as <c>%XX</c> with uppercase hex.</summary>
    public static void AppendEscaped(StringBuilder builder, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            AppendEscaped(builder, b);
        }
    }

    /// <summary>Appends one byte as <c>%XX</c> with uppercase hex.</summary>
    public static void AppendEscaped(StringBuilder builder, byte b) =>
        builder.Append('%').Append(UpperHex[b >> 4]).Append(UpperHex[b & 0xF]);

    /// <summary>
    /// Percent-encodes the UTF-8 bytes of <paramref name="value"/> for which <paramref name="mustEscape"/> is true;
    /// other bytes are appended as ASCII characters. Lone surrogates become U+FFFD, as in the WHATWG URL standard.
    /// </summary>
    public static void AppendUtf8Escaped(StringBuilder builder, string value, Func<byte, bool> mustEscape)
    {
        foreach (var b in Utf8.GetBytes(value))
        {
            if (mustEscape(b))
            {
                AppendEscaped(builder, b);
            }
            else
            {
                builder.Append((char)b);
            }
        }
    }

    /// <summary>
    /// Decodes <c>%XX</c> sequences into bytes; any other character (and a <c>%</c> not followed by two hex digits)
    /// contributes its UTF-8 bytes. With <paramref name="plusAsSpace"/>, <c>+</c> decodes to a space
    /// (application/x-www-form-urlencoded).
    /// </summary>
    public static byte[] DecodeToBytes(ReadOnlySpan<char> value, bool plusAsSpace)
    {
        var bound = MaxDecodedLength(value.Length);
        var output = bound <= 256 ? stackalloc byte[256] : new byte[bound];
        return output[..DecodeTo(value, plusAsSpace, output)].ToArray();
    }

    /// <summary>The most bytes <see cref="DecodeTo"/> can write for <paramref name="length"/> characters (3 per character).</summary>
    public static int MaxDecodedLength(int length) => checked(3 * length);

    /// <summary>
    /// <see cref="DecodeToBytes"/> into <paramref name="destination"/>, which must hold
    /// <see cref="MaxDecodedLength"/> bytes; returns the number of bytes written.
    /// </summary>
    public static int DecodeTo(ReadOnlySpan<char> value, bool plusAsSpace, Span<byte> destination)
    {
        var written = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                destination[written++] = (byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2]));
                i += 2;
            }
            else if (c == '+' && plusAsSpace)
            {
                destination[written++] = (byte)' ';
            }
            else if (c < 0x80)
            {
                destination[written++] = (byte)c;
            }
            else
            {
                var rune = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])
                    ? new Rune(c, value[++i])
                    : Rune.IsValid(c) ? new Rune(c) : Rune.ReplacementChar;
                written += rune.EncodeToUtf8(destination[written..]);
            }
        }

        return written;
    }

    /// <summary>Decodes an application/x-www-form-urlencoded name or value to text (invalid UTF-8 becomes U+FFFD).</summary>
    public static string FormDecode(ReadOnlySpan<char> value)
    {
        var bound = MaxDecodedLength(value.Length);
        var bytes = bound <= 256 ? stackalloc byte[256] : new byte[bound];
        return Utf8.GetString(bytes[..DecodeTo(value, plusAsSpace: true, bytes)]);
    }

    /// <summary>The uppercase hex digit of <paramref name="value"/> (0–15), as an ASCII byte.</summary>
    public static byte UpperHexDigit(int value) => (byte)UpperHex[value];

    /// <summary>Writes one byte as <c>%XX</c> with uppercase hex; returns 3.</summary>
    public static int WriteEscaped(byte b, Span<byte> destination)
    {
        destination[2] = (byte)UpperHex[b & 0xF];
        destination[1] = (byte)UpperHex[b >> 4];
        destination[0] = (byte)'%';
        return 3;
    }

    /// <summary>True for <c>0–9 a–f A–F</c>.</summary>
    public static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    /// <summary>The value of a hex digit already checked with <see cref="IsHex"/>.</summary>
    public static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
