using System.Buffers;
using System.Text;
using CdnProxy.Core;

namespace CdnProxy.Server.Jobs.Pixble;

/// <summary>
/// Pixble's <c>data</c> field (base64, line breaks allowed, optionally behind a <c>data:…;base64,</c> prefix; or, in a
/// multipart body, the image's bytes), decoded as the body is read: from the body's own UTF-8 bytes into one array of
/// the image's length. Held as text, a 25 MB image was the body, its JSON copy, a string of two bytes a character, a
/// decode buffer and its trimmed copy: ~6 bytes a byte of body. What is wrong with it is answered when
/// <see cref="Image"/> is asked, in the order the fields are checked, with the messages the text always had.
/// </summary>
public sealed class PixbleData
{
    private const int ChunkChars = 4096;

    private readonly bool _badPrefix;
    private readonly long _textLength;
    private readonly byte[]? _bytes;

    private PixbleData(bool badPrefix, long textLength, byte[]? bytes) => (_badPrefix, _textLength, _bytes) = (badPrefix, textLength, bytes);

    /// <summary>The field as text (a form's value); null or blank is "no data".</summary>
    public static PixbleData? FromText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var base64 = Base64Of(text.AsSpan().Trim(), out var badPrefix);
        if (badPrefix)
        {
            return new PixbleData(true, 0, null);
        }

        var buffer = new byte[(base64.Length + 3) / 4 * 3];
        return new PixbleData(false, base64.Length, Convert.TryFromBase64Chars(base64, buffer, out var written) ? buffer[..written] : null);
    }

    /// <summary>
    /// The field as unescaped UTF-8 (a JSON string's bytes), decoded without a string: a quartet of characters at a
    /// time into the image's array. Text that is not ASCII is read as a string, whose trimming and prefix rules it has.
    /// </summary>
    public static PixbleData? FromUtf8(ReadOnlySpan<byte> utf8)
    {
        if (!Ascii.IsValid(utf8))
        {
            return FromText(Encoding.UTF8.GetString(utf8));
        }

        var text = TrimAscii(utf8);
        if (text.IsEmpty)
        {
            return null;
        }

        var base64 = text;
        if (text.Length >= 5 && Ascii.EqualsIgnoreCase(text[..5], "data:"u8))
        {
            var comma = text.IndexOf((byte)',');
            if (comma < 7 || !Ascii.EqualsIgnoreCase(text[(comma - 7)..comma], ";base64"u8))
            {
                return new PixbleData(true, 0, null);
            }

            base64 = text[(comma + 1)..];
        }

        return new PixbleData(false, base64.Length, Decode(base64));
    }

    /// <summary>A multipart file's bytes, taken as they are.</summary>
    public static PixbleData? FromBytes(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Length == 0 ? null : new PixbleData(false, (image.Length + 2L) / 3 * 4, image);
    }

    /// <summary>The image: valid base64 of 1 to <paramref name="maxBytes"/> bytes; a 400 or 413 otherwise, as the text was always checked.</summary>
    public byte[] Image(long maxBytes)
    {
        if (_badPrefix)
        {
            throw CdnException.InvalidArgument("data must be base64 (a data URI must be data:<type>;base64,<data>)");
        }

        // Every 4 characters are 3 bytes; what cannot fit the cap is refused before its validity is.
        if (_textLength / 4 * 3L > maxBytes + 3)
        {
            throw TooLarge(maxBytes);
        }

        var bytes = _bytes ?? throw CdnException.InvalidArgument("data is not valid base64");
        if (bytes.Length == 0)
        {
            throw CdnException.InvalidArgument("data is empty");
        }

        return bytes.Length <= maxBytes ? bytes : throw TooLarge(maxBytes);
    }

    /// <summary>The message for no data at all.</summary>
    public static CdnException Required() => CdnException.InvalidArgument("data is required: the image, base64-encoded");

    private static CdnException TooLarge(long maxBytes) => new(CdnErrorKind.SourceTooLarge, $"the image is larger than {maxBytes} bytes");

    /// <summary>The base64 behind an optional <c>data:…;base64,</c> prefix; <paramref name="badPrefix"/> when the prefix is not that.</summary>
    private static ReadOnlySpan<char> Base64Of(ReadOnlySpan<char> text, out bool badPrefix)
    {
        badPrefix = false;
        if (!text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }

        var comma = text.IndexOf(',');
        badPrefix = comma < 0 || !text[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase);
        return badPrefix ? default : text[(comma + 1)..];
    }

    /// <summary>Trims what <see cref="char.IsWhiteSpace(char)"/> calls white space, as <see cref="MemoryExtensions.Trim(ReadOnlySpan{char})"/> does.</summary>
    private static ReadOnlySpan<byte> TrimAscii(ReadOnlySpan<byte> text)
    {
        var start = 0;
        while (start < text.Length && char.IsWhiteSpace((char)text[start]))
        {
            start++;
        }

        var end = text.Length;
        while (end > start && char.IsWhiteSpace((char)text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    /// <summary>
    /// ASCII base64 decoded as <see cref="Convert.TryFromBase64Chars"/> decodes it (white space skipped, padding only at
    /// the end, unused bits of the last quartet ignored), into an array of the decoded length; null when invalid. The
    /// characters go through <see cref="Convert"/> a chunk of whole quartets at a time; a chunk before the last may hold
    /// no padding, which the whole text could not hold there either.
    /// </summary>
    private static byte[]? Decode(ReadOnlySpan<byte> base64)
    {
        var (characters, padding) = Count(base64);
        if (characters % 4 != 0)
        {
            return null;
        }

        var image = new byte[characters / 4 * 3 - padding];
        var chunk = ArrayPool<char>.Shared.Rent(ChunkChars);
        try
        {
            long seen = 0;
            var filled = 0;
            var written = 0;
            foreach (var b in base64)
            {
                if (IsSkipped(b))
                {
                    continue;
                }

                chunk[filled++] = (char)b;
                seen++;
                if (filled == ChunkChars || seen == characters)
                {
                    var last = seen == characters;
                    if ((!last && chunk.AsSpan(0, filled).Contains('='))
                        || !Convert.TryFromBase64Chars(chunk.AsSpan(0, filled), image.AsSpan(written), out var decoded))
                    {
                        return null;
                    }

                    written += decoded;
                    filled = 0;
                }
            }

            return written == image.Length ? image : null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chunk);
        }
    }

    /// <summary>The characters <see cref="Convert"/> decodes (all but white space) and the padding at their end.</summary>
    private static (long Characters, int Padding) Count(ReadOnlySpan<byte> base64)
    {
        long characters = 0;
        var padding = 0;
        foreach (var b in base64)
        {
            if (!IsSkipped(b))
            {
                characters++;
                padding = b == '=' ? Math.Min(padding + 1, 3) : 0;
            }
        }

        return (characters, Math.Min(padding, 2));
    }

    /// <summary>The white space <see cref="Convert.FromBase64String"/> skips.</summary>
    private static bool IsSkipped(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
