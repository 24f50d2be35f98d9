using System.Buffers.Binary;
using System.Text;
using CdnProxy.Core.Caching;

namespace CdnProxy.Server.Caching;

/// <summary>
/// The binary form of a rendition in Redis: version (1 byte), created (Unix ms, int64 LE), content type and ETag
/// (each a 1-byte length + ASCII), body length (int32 LE), body. Anything that does not parse exactly is corrupt.
/// </summary>
public static class RenditionEnvelope
{
    public const byte Version = 1;

    private const int FixedBytes = 1 + 8 + 1 + 1 + 4;

    public static byte[] Write(Rendition rendition)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        var contentType = Encoding.ASCII.GetBytes(rendition.ContentType);
        var etag = Encoding.ASCII.GetBytes(rendition.ETag);
        if (contentType.Length > byte.MaxValue || etag.Length > byte.MaxValue)
        {
            throw new ArgumentException("Content type and ETag must be at most 255 bytes", nameof(rendition));
        }

        var value = new byte[FixedBytes + contentType.Length + etag.Length + rendition.Bytes.Length];
        var span = value.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], rendition.Created.ToUnixTimeMilliseconds());
        var at = 9;
        at = WriteShortString(span, at, contentType);
        at = WriteShortString(span, at, etag);
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], rendition.Bytes.Length);
        rendition.Bytes.CopyTo(span[(at + 4)..]);
        return value;
    }

    /// <summary>Parses a stored value; false for anything short, over-long, of another version or not an image.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out Rendition? rendition)
    {
        rendition = null;
        if (value.Length < FixedBytes || value[0] != Version)
        {
            return false;
        }

        var createdMs = BinaryPrimitives.ReadInt64LittleEndian(value[1..]);
        var at = 9;
        if (!TryReadShortString(value, ref at, out var contentType) || !TryReadShortString(value, ref at, out var etag)
            || value.Length - at < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(value[at..]);
        at += 4;
        if (length < 0 || length != value.Length - at || !contentType.StartsWith("image/", StringComparison.Ordinal)
            || etag.Length < 2 || createdMs < 0 || createdMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        rendition = new Rendition(value[at..].ToArray(), contentType, etag, DateTimeOffset.FromUnixTimeMilliseconds(createdMs));
        return true;
    }

    private static int WriteShortString(Span<byte> span, int at, byte[] text)
    {
        span[at] = (byte)text.Length;
        text.CopyTo(span[(at + 1)..]);
        return at + 1 + text.Length;
    }

    private static bool TryReadShortString(ReadOnlySpan<byte> value, ref int at, out string text)
    {
        text = string.Empty;
        if (at >= value.Length || value.Length - at - 1 < value[at])
        {
            return false;
        }

        var length = value[at];
        var bytes = value.Slice(at + 1, length);
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }

        text = Encoding.ASCII.GetString(bytes);
        at += 1 + length;
        return true;
    }
}
