namespace CdnProxy.Core.Rendering;

/// <summary>The media type of encoded bytes, read from their signature (never from a file name or a request).</summary>
public static class ContentTypeSniffer
{
    public static string Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]))
        {
            return "image/png";
        }

        if (bytes.StartsWith("GIF8"u8))
        {
            return "image/gif";
        }

        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        if (bytes.Length >= 12 && bytes[4..8].SequenceEqual("ftyp"u8))
        {
            return HeifMediaType(bytes[8..12]);
        }

        if (bytes.StartsWith("II*\0"u8) || bytes.StartsWith("MM\0*"u8))
        {
            return "image/tiff";
        }

        // "BM" plus a header size of a known DIB header (40 = BITMAPINFOHEADER ... 124 = BITMAPV5HEADER).
        if (bytes.Length >= 18 && bytes.StartsWith("BM"u8) && bytes[14] is 12 or 40 or 52 or 56 or 64 or 108 or 124)
        {
            return "image/bmp";
        }

        return "application/octet-stream";
    }

    /// <summary>ISO-BMFF major brands: AV1 ones are AVIF, HEVC ones HEIC, the generic image brands plain HEIF.</summary>
    private static string HeifMediaType(ReadOnlySpan<byte> brand) =>
        brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8) ? "image/avif"
        : brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("hevc"u8) || brand.SequenceEqual("hevx"u8) ? "image/heic"
        : "image/heif";
}
