using System.Buffers.Binary;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>
/// Writes a Windows bitmap from packed 8-bit pixels (libvips has no BMP saver). Without alpha: 24-bit BGR with a
/// BITMAPINFOHEADER, the form every reader accepts. With alpha: 32-bit BGRA with a BITMAPV5HEADER whose bit
/// fields declare the alpha mask and sRGB, as browsers and Windows expect. Rows are stored bottom-up and padded to
/// 4 bytes; the density goes into the pixels-per-metre fields.
/// </summary>
public static class BmpEncoder
{
    private const int FileHeaderSize = 14;
    private const int InfoHeaderSize = 40;
    private const int V5HeaderSize = 124;
    private const uint BiRgb = 0;
    private const uint BiBitfields = 3;
    private const uint ColourSpaceSrgb = 0x73524742; // 'sRGB'
    private const uint IntentImages = 4; // LCS_GM_IMAGES: perceptual

    /// <summary>The largest file the 32-bit size fields can describe.</summary>
    public const long MaxFileBytes = uint.MaxValue;

    /// <summary>
    /// Encodes <paramref name="pixels"/>: <paramref name="height"/> rows top to bottom of <paramref name="width"/>
    /// pixels, each pixel <paramref name="bands"/> bytes (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA).
    /// </summary>
    /// <param name="pixels">The packed pixels.</param>
    /// <param name="width">Pixels per row.</param>
    /// <param name="height">Rows.</param>
    /// <param name="bands">Bytes per pixel, 1–4.</param>
    /// <param name="pixelsPerMetre">Density written to both axes (0 = unknown).</param>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int bands, int pixelsPerMetre)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bands, 4);
        ArgumentOutOfRangeException.ThrowIfNegative(pixelsPerMetre);
        if (pixels.Length != (long)width * height * bands)
        {
            throw new ArgumentException($"Expected {(long)width * height * bands} bytes of pixels, got {pixels.Length}", nameof(pixels));
        }

        var alpha = bands is 2 or 4;
        var bytesPerPixel = alpha ? 4 : 3;
        var stride = ((long)width * bytesPerPixel + 3) & ~3L;
        var headerSize = alpha ? V5HeaderSize : InfoHeaderSize;
        var dataOffset = FileHeaderSize + headerSize;
        var fileSize = dataOffset + stride * height;
        if (fileSize > MaxFileBytes || fileSize > Array.MaxLength)
        {
            throw new ArgumentException($"A {width}×{height} bitmap does not fit the format's 4 GiB size fields", nameof(width));
        }

        var file = new byte[fileSize];
        WriteFileHeader(file, (uint)fileSize, (uint)dataOffset);
        WriteInfoHeader(file.AsSpan(FileHeaderSize), headerSize, width, height, bytesPerPixel, (uint)(stride * height), pixelsPerMetre);
        if (alpha)
        {
            WriteV5Fields(file.AsSpan(FileHeaderSize + InfoHeaderSize));
        }

        for (var y = 0; y < height; y++)
        {
            // Bottom-up: the first stored row is the image's last.
            var source = pixels.Slice((int)((long)y * width * bands), width * bands);
            var target = file.AsSpan((int)(dataOffset + ((long)(height - 1 - y) * stride)), width * bytesPerPixel);
            WriteRow(source, target, bands);
        }

        return file;
    }

    private static void WriteFileHeader(Span<byte> file, uint fileSize, uint dataOffset)
    {
        "BM"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file[2..], fileSize);
        BinaryPrimitives.WriteUInt32LittleEndian(file[10..], dataOffset);
    }

    private static void WriteInfoHeader(Span<byte> header, int headerSize, int width, int height, int bytesPerPixel, uint imageSize, int pixelsPerMetre)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)headerSize);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], width);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], height); // positive: rows stored bottom-up
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], 1); // planes
        BinaryPrimitives.WriteUInt16LittleEndian(header[14..], (ushort)(bytesPerPixel * 8));
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], bytesPerPixel == 4 ? BiBitfields : BiRgb);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], imageSize);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], pixelsPerMetre);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], pixelsPerMetre);

        // Colours used and important colours stay 0: no palette.
    }

    /// <summary>The BITMAPV5HEADER fields after the first 40 bytes: channel masks, colour space and intent.</summary>
    private static void WriteV5Fields(Span<byte> fields)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(fields, 0x00FF0000); // red
        BinaryPrimitives.WriteUInt32LittleEndian(fields[4..], 0x0000FF00); // green
        BinaryPrimitives.WriteUInt32LittleEndian(fields[8..], 0x000000FF); // blue
        BinaryPrimitives.WriteUInt32LittleEndian(fields[12..], 0xFF000000); // alpha
        BinaryPrimitives.WriteUInt32LittleEndian(fields[16..], ColourSpaceSrgb);

        // Endpoints (36 bytes) and gamma (12 bytes) are ignored for sRGB and stay 0.
        BinaryPrimitives.WriteUInt32LittleEndian(fields[68..], IntentImages);

        // Profile offset, profile size and the reserved field stay 0.
    }

    private static void WriteRow(ReadOnlySpan<byte> source, Span<byte> target, int bands)
    {
        var width = source.Length / bands;
        for (int x = 0, s = 0, t = 0; x < width; x++, s += bands)
        {
            var (r, g, b) = bands >= 3 ? (source[s], source[s + 1], source[s + 2]) : (source[s], source[s], source[s]);
            target[t++] = b;
            target[t++] = g;
            target[t++] = r;
            if (bands is 2 or 4)
            {
                target[t++] = source[s + bands - 1];
            }
        }
    }
}
