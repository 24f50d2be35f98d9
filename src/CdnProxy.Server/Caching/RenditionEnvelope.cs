using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Rendering;

namespace CdnProxy.Server.Caching;

/// <summary>
/// The binary form of a rendition in Redis: version (1 byte), the purge epoch it was rendered under, created (Unix ms,
/// int64 LE), content type, ETag and key tag (epoch, content type, ETag and key tag each a 1-byte length + printable
/// ASCII), access (1 byte: 0 public, 1 private), body length (int32 LE), body. Anything that does not parse exactly,
/// whose ETag is not the hash of its body, whose content type is not what its body is, or whose key tag is not the one
/// of the key it is read under, is corrupt.
/// </summary>
public static class RenditionEnvelope
{
    /// <summary>2 added the epoch, 3 the access, 4 the key tag; values of older versions are misses.</summary>
    public const byte Version = 4;

    private const int FixedBytes = 1 + 1 + 8 + 1 + 1 + 1 + 1 + 4;

    /// <summary>The most an envelope adds to its body: the fixed fields and four strings of the longest length.</summary>
    public const int MaxHeaderBytes = FixedBytes + (4 * byte.MaxValue);

    /// <summary>The value's first bytes (version and epoch): what a conditional delete compares.</summary>
    public static byte[] Head(string epoch)
    {
        var bytes = ShortString(epoch, nameof(epoch));
        var head = new byte[2 + bytes.Length];
        head[0] = Version;
        WriteShortString(head, 1, bytes);
        return head;
    }

    /// <param name="rendition">What is stored.</param>
    /// <param name="epoch">The purge epoch of its original it was rendered under.</param>
    /// <param name="key">The key it is stored under (its tag is kept: a value found under another key is corrupt).</param>
    public static byte[] Write(Rendition rendition, string epoch, string key)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        var epochBytes = ShortString(epoch, nameof(epoch));
        var contentType = ShortString(rendition.ContentType, nameof(rendition));
        var etag = ShortString(rendition.ETag, nameof(rendition));
        var keyTag = Encoding.ASCII.GetBytes(KeyTag(key));
        var value = new byte[FixedBytes + epochBytes.Length + contentType.Length + etag.Length + keyTag.Length + rendition.Bytes.Length];
        var span = value.AsSpan();
        span[0] = Version;
        var at = WriteShortString(span, 1, epochBytes);
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], rendition.Created.ToUnixTimeMilliseconds());
        at += 8;
        at = WriteShortString(span, at, contentType);
        at = WriteShortString(span, at, etag);
        at = WriteShortString(span, at, keyTag);
        span[at++] = rendition.Access == AssetAccess.Private ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], rendition.Bytes.Length);
        rendition.Bytes.CopyTo(span[(at + 4)..]);
        return value;
    }

    /// <summary>
    /// Parses a value stored under <paramref name="key"/>; false for anything short, over-long, of another version,
    /// neither an image nor JSON, labelled with another content type than its body's, without an epoch, written for
    /// another key, or whose ETag is not the hash of its body.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> value, string key, [NotNullWhen(true)] out Rendition? rendition, out string epoch)
    {
        rendition = null;
        epoch = string.Empty;
        var at = 1;
        if (value.Length < FixedBytes || value[0] != Version || !TryReadShortString(value, ref at, out epoch)
            || epoch.Length == 0 || value.Length - at < 8)
        {
            return false;
        }

        var createdMs = BinaryPrimitives.ReadInt64LittleEndian(value[at..]);
        at += 8;
        if (!TryReadShortString(value, ref at, out var contentType) || !TryReadShortString(value, ref at, out var etag)
            || !TryReadShortString(value, ref at, out var keyTag) || !string.Equals(keyTag, KeyTag(key), StringComparison.Ordinal)
            || value.Length - at < 5 || value[at] > 1)
        {
            return false;
        }

        var access = value[at++] == 1 ? AssetAccess.Private : AssetAccess.PublicRead;

        var length = BinaryPrimitives.ReadInt32LittleEndian(value[at..]);
        at += 4;
        if (length < 0 || length != value.Length - at || !IsContentTypeOf(value[at..], contentType)
            || etag.Length < 2 || createdMs < 0 || createdMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        var read = new Rendition(value[at..].ToArray(), contentType, etag, DateTimeOffset.FromUnixTimeMilliseconds(createdMs)) { Access = access };
        if (!read.HasMatchingETag())
        {
            return false;
        }

        rendition = read;
        return true;
    }

    /// <summary>
    /// Images, as sniffed from their body's signature (how every rendition's content type is set: a PNG label over JPEG
    /// bytes would be served as what it is not), and the JSON object of <c>?info</c> answers (cached in the same
    /// tiers); anything else is corrupt or forged.
    /// </summary>
    private static bool IsContentTypeOf(ReadOnlySpan<byte> body, string contentType) =>
        string.Equals(contentType, "application/json", StringComparison.Ordinal)
            ? body.StartsWith((byte)'{')
            : contentType.StartsWith("image/", StringComparison.Ordinal) && string.Equals(ContentTypeSniffer.Sniff(body), contentType, StringComparison.Ordinal);

    /// <summary>16 bytes of the key's SHA-256, base64url: short whatever the key (cloud names are not bounded here).</summary>
    private static string KeyTag(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
    }

    private static byte[] ShortString(string text, string parameter)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.ASCII.GetBytes(text);
        return bytes.Length <= byte.MaxValue
            ? bytes
            : throw new ArgumentException("Epoch, content type and ETag must be at most 255 bytes", parameter);
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
