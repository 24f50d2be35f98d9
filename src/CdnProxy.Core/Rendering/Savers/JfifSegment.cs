using System.Buffers.Binary;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>
/// The JFIF APP0 segment, the standard home of a JPEG's density. libvips writes none when told to keep no
/// metadata, so <c>t.density</c> (and the source's density) would be lost; it is added here, right after SOI as
/// JFIF requires. It holds nothing but the version and the density, so it reveals nothing.
/// </summary>
public static class JfifSegment
{
    private const double MillimetresPerInch = 25.4;

    /// <summary>
    /// A copy of <paramref name="jpeg"/> with a JFIF segment giving the density in dots per inch (from pixels per
    /// millimetre), or a plain copy when it already starts with one. One copy either way: the saver hands over
    /// libvips' own buffer.
    /// </summary>
    public static byte[] Insert(ReadOnlySpan<byte> jpeg, double horizontalPixelsPerMillimetre, double verticalPixelsPerMillimetre)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("Not a JPEG", nameof(jpeg));
        }

        if (jpeg[2] == 0xFF && jpeg[3] == 0xE0)
        {
            return jpeg.ToArray();
        }

        Span<byte> segment =
        [
            0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00,
            0x01, 0x01, // version 1.01
            0x01, // density unit: dots per inch
            0, 0, 0, 0, // X and Y density, below
            0x00, 0x00, // no thumbnail
        ];
        BinaryPrimitives.WriteUInt16BigEndian(segment[12..], Dpi(horizontalPixelsPerMillimetre));
        BinaryPrimitives.WriteUInt16BigEndian(segment[14..], Dpi(verticalPixelsPerMillimetre));

        var result = new byte[jpeg.Length + segment.Length];
        jpeg[..2].CopyTo(result);
        segment.CopyTo(result.AsSpan(2));
        jpeg[2..].CopyTo(result.AsSpan(2 + segment.Length));
        return result;
    }

    // JFIF densities are 16-bit and must not be 0.
    private static ushort Dpi(double pixelsPerMillimetre) =>
        (ushort)Math.Clamp(Math.Round(pixelsPerMillimetre * MillimetresPerInch), 1, ushort.MaxValue);
}
