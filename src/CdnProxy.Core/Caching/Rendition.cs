using System.Buffers.Text;
using System.Security.Cryptography;
using CdnProxy.Core.Origins;

namespace CdnProxy.Core.Caching;

/// <summary>A rendered, encoded image as served and cached.</summary>
/// <param name="Bytes">The encoded image.</param>
/// <param name="ContentType">Sniffed from the bytes.</param>
/// <param name="ETag">Strong validator: a hash of <paramref name="Bytes"/>, quoted (<see cref="ETagOf"/>).</param>
/// <param name="Created">When it was rendered.</param>
public sealed record Rendition(byte[] Bytes, string ContentType, string ETag, DateTimeOffset Created)
{
    /// <summary>
    /// The access of the files it was rendered from (private when any was). Kept with the rendition in every cache
    /// tier, so a cached copy of a private file is refused without a signature as cheaply as a fresh render.
    /// </summary>
    public AssetAccess Access { get; init; }

    public static Rendition Create(byte[] bytes, string contentType, DateTimeOffset created, AssetAccess access = AssetAccess.PublicRead)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new Rendition(bytes, contentType, ETagOf(bytes), created) { Access = access };
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
