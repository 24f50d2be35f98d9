using System.Buffers.Binary;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class DensityTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

    [Fact]
    public void Bind_NoArguments_CanonicalFormHasEveryDefault()
    {
        Assert.Equal("t.density(d:300)", RenderHarness.Canonical("t.density()"));
    }

    [Theory]
    [InlineData("d", "0")]
    [InlineData("d", "10001")]
    [InlineData("d", "72.5")]
    [InlineData("d", "high")]
    public void Bind_BadValue_InvalidArgumentNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.density({key}:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownKey_IsRefused()
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind("t.density(dpi:300)"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'dpi'", e.Message, StringComparison.Ordinal);
    }

    // The decision: density is image-header data, not the EXIF/XMP/ICC the encoder strips, so it reaches formats
    // with a density field of their own: PNG pHYs, TIFF resolution tags, BMP pixels per metre, and JPEG, where our
    // encoder adds the JFIF segment libvips leaves out. WebP, AVIF, HEIF and GIF have no such field (only EXIF).
    [Theory]
    [InlineData(300)]
    [InlineData(72)]
    [InlineData(1200)]
    public void Render_Png_WritesTheDensityIntoPhys(int dpi)
    {
        var bytes = RenderHarness.Render(Flower, $"t.resize(w:200)~t.density(d:{dpi})~t.toFormat(f:png)").Bytes;

        Assert.InRange(PngDpi(bytes), dpi - 1, dpi + 1);
    }

    [Fact]
    public void Render_Default_Is300Dpi()
    {
        var bytes = RenderHarness.Render(Flower, "t.resize(w:200)~t.density()~t.toFormat(f:png)").Bytes;

        Assert.InRange(PngDpi(bytes), 299, 301);
    }

    [Theory]
    [InlineData(72)]
    [InlineData(600)]
    public void Render_Jpeg_WritesTheDensityIntoJfif(int dpi)
    {
        var bytes = RenderHarness.Render(Flower, $"t.resize(w:200)~t.density(d:{dpi})~t.toFormat(f:jpeg)").Bytes;

        Assert.Equal("JFIF\0"u8.ToArray(), bytes[6..11]);
        Assert.Equal(1, bytes[13]); // units: dots per inch
        Assert.Equal(dpi, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(14)));
        Assert.Equal(dpi, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(16)));
    }

    [Fact]
    public void Render_Density_LeavesPixelsAndStripsNothingElseBack()
    {
        var plain = RenderHarness.Render(Tulips, "t.toFormat(f:png)").Bytes;
        var dense = RenderHarness.Render(Tulips, "t.density(d:600)~t.toFormat(f:png)").Bytes;
        using var probe = ImageProbe.Open(dense);

        Assert.Equal(0, RenderHarness.MeanDifference(plain, dense));
        Assert.False(probe.HasExifOrIcc);
    }

    /// <summary>The density of a PNG pHYs chunk, in dots per inch.</summary>
    private static double PngDpi(byte[] png)
    {
        var at = png.AsSpan().IndexOf("pHYs"u8);
        Assert.True(at > 0, "no pHYs chunk");
        var x = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 4));
        var y = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8));
        Assert.Equal(x, y);
        Assert.Equal(1, png[at + 12]);
        return x * 0.0254;
    }
}
