using System.Buffers.Text;
using System.Security.Cryptography;

namespace CdnProxy.Core.Caching;

/// <summary>A rendered, encoded image as served and cached.</summary>
/// <param name="Bytes">The encoded image.</param>
/// <param name="ContentType">Sniffed from the bytes.</param>
/// <param name="ETag">Strong validator: a hash of <paramref name="Bytes"/>, quoted (<see cref="ETagOf"/>).</param>
/// <param name="Created">When it was rendered.</param>
public sealed record Rendition(byte[] Bytes, string ContentType, string ETag, DateTimeOffset Created)
{
    public static Rendition Create(byte[] bytes, string contentType, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new Rendition(bytes, contentType, ETagOf(bytes), created);
    }

    /// <summary>The ETag of a body: 18 bytes of its SHA-256, base64url, quoted.</summary>
    public static string ETagOf(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        return "\"" + Base64Url.EncodeToString(hash[..18]) + "\"";
    }

    /// <summary>True when <see cref="ETag"/> is the hash of <see cref="Bytes"/> (a stored copy is not corrupt or forged).</summary>
    public bool HasMatchingETag() => string.Equals(ETag, ETagOf(Bytes), StringComparison.Ordinal);
}
