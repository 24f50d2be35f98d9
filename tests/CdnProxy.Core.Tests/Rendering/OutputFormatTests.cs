using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;
using CdnProxy.Tests.Common;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Tests.Rendering;

/// <summary>HEIF, quality per format and the media types of every output.</summary>
public class OutputFormatTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    [Fact]
    public void Capabilities_BundledEngine_EncodesAv1()
    {
        Assert.Contains("av1", RenderHarness.Capabilities.HeifCompressions);
        Assert.True(RenderHarness.Capabilities.CanEncode(OutputFormat.Avif));
        Assert.True(RenderHarness.Capabilities.CanEncode(OutputFormat.Heif));
    }

    [Fact]
    public void Render_Heif_IsAHeifContainerWithTheProbedCodecAndItsMediaType()
    {
        var result = RenderHarness.Render(Flower, "t.resize(w:160)~t.toFormat(f:heif)");
        using var probe = ImageProbe.Open(result.Bytes);

        var codec = RenderHarness.Capabilities.HeifCompression;
        Assert.Equal(codec == "hevc" ? "image/heic" : "image/avif", result.ContentType);
        Assert.Equal("ftyp"u8.ToArray(), result.Bytes[4..8]);
        Assert.Equal("VipsForeignLoadHeifBuffer", probe.Loader);
        Assert.Equal(codec, probe.Field("heif-compression"));
        Assert.Equal((160, 107), (probe.Width, probe.Height));
    }

    [Theory]
    [InlineData("t.toFormat(f:heif)")]
    [InlineData("t.toFormat(f:avif)")]
    [InlineData("t.resize(w:10)~t.toFormat(f:heif,q:50)")]
    public void Bind_EngineWithoutHeifEncoder_InvalidArgumentNamingF(string pattern)
    {
        var binder = new RenderPlanBinder(TransformationCatalog.Default, new EncoderCapabilities([]));

        var e = Assert.Throws<CdnException>(() => binder.Bind(PatternGrammar.Parse(pattern)));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith("t.toFormat: 'f' ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Capabilities_HevcAvailable_HeifPrefersIt()
    {
        Assert.Equal("hevc", new EncoderCapabilities(["av1", "hevc"]).HeifCompression);
        Assert.Equal("av1", new EncoderCapabilities(["av1"]).HeifCompression);
        Assert.Null(new EncoderCapabilities([]).HeifCompression);
    }

    // The media type of every format over HTTP, alpha source included: Server.Tests OutputFormatEndpointTests.

    [Fact]
    public void Render_PngBelowLosslessQuality_IsAPaletteImageAndSmaller()
    {
        var lossless = RenderHarness.Render(Flower, "t.resize(w:300)~t.toFormat(f:png,q:good)").Bytes;
        var eco = RenderHarness.Render(Flower, "t.resize(w:300)~t.toFormat(f:png,q:eco)").Bytes;

        Assert.Equal(2, PngColourType(lossless)); // truecolour
        Assert.Equal(3, PngColourType(eco)); // indexed
        Assert.True(eco.Length < lossless.Length / 2, $"eco {eco.Length} B, lossless {lossless.Length} B");
        Assert.InRange(RenderHarness.MeanDifference(lossless, eco), 0.01, 8);
    }

    [Fact]
    public void Render_PngDefault_IsLossless()
    {
        var tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));
        var png = RenderHarness.Render(tulips, "original").Bytes;

        Assert.Equal(6, PngColourType(png)); // truecolour with alpha, no palette
        Assert.Equal(0, RenderHarness.MeanDifference(tulips, png));
    }

    [Fact]
    public void Render_GifLowQuality_UsesFewerColours()
    {
        var best = RenderHarness.Render(Flower, "t.resize(w:200)~t.toFormat(f:gif,q:best)").Bytes;
        var low = RenderHarness.Render(Flower, "t.resize(w:200)~t.toFormat(f:gif,q:10)").Bytes;

        Assert.Equal(256, GifGlobalPaletteSize(best));
        Assert.True(GifGlobalPaletteSize(low) <= 32, $"{GifGlobalPaletteSize(low)} colours");
        Assert.True(low.Length < best.Length);
    }

    [Theory]
    [InlineData("avif")]
    [InlineData("heif")]
    [InlineData("jpeg")]
    [InlineData("tiff")]
    public void Render_QualityWords_LowIsSmallerThanBest(string format)
    {
        var low = RenderHarness.Render(Flower, $"t.resize(w:300)~t.toFormat(f:{format},q:low)").Bytes;
        var best = RenderHarness.Render(Flower, $"t.resize(w:300)~t.toFormat(f:{format},q:best)").Bytes;

        Assert.True(low.Length < best.Length, $"{format}: low {low.Length} B, best {best.Length} B");
    }

    [Fact]
    public void Render_Jpeg_CarriesTheDensityInAJfifSegment()
    {
        var bytes = RenderHarness.Render(Flower, "t.resize(w:100)~t.density(d:600)~t.toFormat(f:jpeg)").Bytes;
        using var probe = ImageProbe.Open(bytes);

        Assert.Equal("JFIF\0"u8.ToArray(), bytes[6..11]);
        Assert.Equal(600, probe.Dpi, 0.5);
        Assert.False(probe.HasExifOrIcc);
    }

    private static int PngColourType(byte[] png) => png[25]; // IHDR: 8 signature + 8 chunk header + 9 bytes in

    private static int GifGlobalPaletteSize(byte[] gif)
    {
        var packed = gif[10];
        Assert.True((packed & 0x80) != 0, "no global colour table");
        return 2 << (packed & 0x07);
    }
}
