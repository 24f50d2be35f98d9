using System.Buffers.Binary;
using System.Diagnostics;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Rendering.Savers;
using CdnProxy.Tests.Common;
using CdnProxy.Vips;

namespace CdnProxy.Core.Tests.Rendering;

public class BmpEncoderTests
{
    [Fact]
    public void Encode_Rgb_Is24BitBottomUpWithRowsPaddedTo4Bytes()
    {
        // 5 pixels × 3 bytes = 15 bytes per row, padded to 16.
        byte[] pixels = [.. Enumerable.Range(0, 5 * 2 * 3).Select(i => (byte)(i * 7))];

        var bmp = BmpEncoder.Encode(pixels, 5, 2, 3, 2835);

        Assert.Equal("BM"u8.ToArray(), bmp[..2]);
        Assert.Equal((uint)bmp.Length, BinaryPrimitives.ReadUInt32LittleEndian(bmp.AsSpan(2)));
        Assert.Equal(54u, BinaryPrimitives.ReadUInt32LittleEndian(bmp.AsSpan(10)));
        Assert.Equal(40u, BinaryPrimitives.ReadUInt32LittleEndian(bmp.AsSpan(14)));
        Assert.Equal(5, BinaryPrimitives.ReadInt32LittleEndian(bmp.AsSpan(18)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bmp.AsSpan(22)));
        Assert.Equal(24, BinaryPrimitives.ReadUInt16LittleEndian(bmp.AsSpan(28)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bmp.AsSpan(30)));
        Assert.Equal(2835, BinaryPrimitives.ReadInt32LittleEndian(bmp.AsSpan(38)));
        Assert.Equal(54 + (2 * 16), bmp.Length);

        // The first stored row is the image's bottom row, its pixels in B, G, R order; then one padding byte.
        Assert.Equal(new byte[] { pixels[17], pixels[16], pixels[15] }, bmp[54..57]);
        Assert.Equal(0, bmp[54 + 15]);
        Assert.Equal(new byte[] { pixels[2], pixels[1], pixels[0] }, bmp[70..73]);
    }

    [Fact]
    public void Encode_Rgba_Is32BitWithV5HeaderAlphaMaskAndSrgb()
    {
        byte[] pixels = [10, 20, 30, 40, 50, 60, 70, 80];

        var bmp = BmpEncoder.Encode(pixels, 2, 1, 4, 0);

        Assert.Equal(14u + 124u, BinaryPrimitives.ReadUInt32LittleEndian(bmp.AsSpan(10)));
        Assert.Equal(124u, BinaryPrimitives.ReadUInt32LittleEndian(bmp.AsSpan(14)));
        Assert.Equal(32, BinaryPrimitives.ReadUInt16LittleEndian(bmp.AsSpan(28)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(bmp.AsSpan(30))); // BI_BITFIELDS
        Assert.Equal(0xFF000000u, BinaryPrimitives.ReadUInt32LittleEndian(bmp.AsSpan(14 + 52)));
        Assert.Equal("BGRs"u8.ToArray(), bmp[(14 + 56)..(14 + 60)]); // 'sRGB' stored little-endian
        Assert.Equal(new byte[] { 30, 20, 10, 40, 70, 60, 50, 80 }, bmp[138..]);
    }

    [Fact]
    public void Encode_GreyAndGreyAlpha_ExpandToColour()
    {
        Assert.Equal(new byte[] { 9, 9, 9, 0 }, BmpEncoder.Encode([9], 1, 1, 1, 0)[54..]);
        Assert.Equal(new byte[] { 9, 9, 9, 200 }, BmpEncoder.Encode([9, 200], 1, 1, 2, 0)[138..]);
    }

    [Fact]
    public void Encode_WrongPixelCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => BmpEncoder.Encode(new byte[5], 2, 1, 3, 0));
    }

    [Fact]
    public void Save_EncodesFromLibvipsBuffer_WithoutAManagedCopyOfThePixels()
    {
        VipsTestRuntime.Ensure();
        const int Width = 1500, Height = 1000, Bands = 4;
        byte[] pixels = [.. Enumerable.Range(0, Width * Height * Bands).Select(i => (byte)(i * 31))];
        using var image = ImageExtensions.FromPixels(pixels, Width, Height, Bands);
        var saver = new BmpSaver();
        saver.Save(image, 100, NetVips.Enums.ForeignKeep.None); // JIT and first-call allocations out of the way

        var before = GC.GetAllocatedBytesForCurrentThread();
        var bmp = saver.Save(image, 100, NetVips.Enums.ForeignKeep.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var pixelsPerMetre = (int)Math.Round(image.Xres * 1000);
        Assert.Equal(BmpEncoder.Encode(pixels, Width, Height, Bands, pixelsPerMetre), bmp);
        // The 6 MB file only; a managed copy of the pixels would add another 6 MB.
        Assert.InRange(allocated, bmp.Length, bmp.Length + (pixels.Length / 8));
    }

    [Theory]
    [InlineData("photo-3mp-flower.jpg", "t.resize(w:37)")] // odd width: 111-byte rows need padding
    [InlineData("alpha-500-tulips.png", "t.resize(w:41)")] // alpha: 32-bit V5
    [InlineData("photo-3mp-flower.jpg", "t.resize(w:30)~t.grey()")]
    public void Render_Bmp_DecodesToTheSamePixelsAsLosslessPng(string sample, string steps)
    {
        var source = TestImages.Read(TestImages.Sample(sample));
        var bmp = RenderHarness.Render(source, steps + "~t.toFormat(f:bmp)");
        var png = RenderHarness.Render(source, steps + "~t.toFormat(f:png,q:100)");

        Assert.Equal("image/bmp", bmp.ContentType);
        Assert.Equal("image/bmp", ContentTypeSniffer.Sniff(bmp.Bytes));
        var decoded = DecodeWithGdkPixbuf(bmp.Bytes, Math.Max(bmp.Width, bmp.Height));
        if (decoded is null)
        {
            return;
        }

        using var viaPixbuf = ImageProbe.Open(decoded);
        using var reference = ImageProbe.Open(png.Bytes);
        Assert.Equal((reference.Width, reference.Height), (viaPixbuf.Width, viaPixbuf.Height));
        for (var y = 0; y < reference.Height; y += 3)
        {
            for (var x = 0; x < reference.Width; x += 2)
            {
                var expected = reference.Pixel(x, y);
                var actual = viaPixbuf.Pixel(x, y);
                var colour = expected.Length >= 3 ? expected[..3] : [expected[0], expected[0], expected[0]];
                Assert.Equal(colour, actual[..3]);
                if (reference.HasAlpha)
                {
                    Assert.Equal(expected[^1], actual[^1]);
                }
            }
        }
    }

    [Fact]
    public void Render_BmpWithDensity_WritesPixelsPerMetre()
    {
        var bmp = RenderHarness.Render(TestImages.Read(TestImages.Flower), "t.resize(w:20)~t.density(d:254)~t.toFormat(f:bmp)").Bytes;

        Assert.Equal(10_000, BinaryPrimitives.ReadInt32LittleEndian(bmp.AsSpan(38)));
    }

    /// <summary>
    /// Decodes with gdk-pixbuf (an independent BMP reader; libvips here has none) into a PNG that libvips reads.
    /// Null when gdk-pixbuf is not installed, which fails the test under CI (scripts/setup.sh installs it).
    /// </summary>
    private static byte[]? DecodeWithGdkPixbuf(byte[] bmp, int size)
    {
        const string Tool = "/usr/bin/gdk-pixbuf-thumbnailer";
        if (!File.Exists(Tool))
        {
            Assert.NotEqual("true", Environment.GetEnvironmentVariable("CI"));
            return null;
        }

        var folder = Directory.CreateTempSubdirectory("cdnproxy-bmp-");
        try
        {
            var input = Path.Combine(folder.FullName, "in.bmp");
            var output = Path.Combine(folder.FullName, "out.png");
            File.WriteAllBytes(input, bmp);
            using var process = Process.Start(new ProcessStartInfo(Tool, ["-s", size.ToString(System.Globalization.CultureInfo.InvariantCulture), input, output])
            {
                RedirectStandardError = true,
            })!;
            var errors = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(30_000), "gdk-pixbuf-thumbnailer timed out");
            Assert.True(process.ExitCode == 0, "gdk-pixbuf could not read the BMP: " + errors);
            return File.ReadAllBytes(output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
