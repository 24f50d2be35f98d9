using System.Buffers.Text;
using System.Security.Cryptography;

namespace CdnProxy.Core.Caching;

/// <summary>A rendered, encoded image as served and cached.</summary>
/// <param name="Bytes">The encoded image.</param>
/// <param name="ContentType">Sniffed from the bytes.</param>
/// <param name="ETag">Strong validator: a hash of <paramref name="Bytes"/>, quoted.</param>
/// <param name="Created">When it was rendered.</param>
public sealed record Rendition(byte[] Bytes, string ContentType, string ETag, DateTimeOffset Created)
{
    public static Rendition Create(byte[] bytes, string contentType, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var hash = SHA256.HashData(bytes);
        return new Rendition(bytes, contentType, "\"" + Base64Url.EncodeToString(hash.AsSpan(0, 18)) + "\"", created);
    }
}
