using CdnProxy.Core.Tests.Transformations.Basic;
using CdnProxy.Tests.Common;
using CdnProxy.Vips;

namespace CdnProxy.Core.Tests.Rendering;

public class VipsImageRendererTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    private static byte[] Orientation(int n) => TestImages.Read(TestImages.Asset($"edge/orientation/orientation_{n}.jpg"));

    // ---- Orientation ---------------------------------------------------------------------------

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Render_ExifOrientation_ComesOutUpright(int orientation)
    {
        var expected = RenderHarness.Render(Orientation(0), "t.toFormat(f:png)").Bytes;

        var actual = RenderHarness.Render(Orientation(orientation), "t.toFormat(f:png)");

        Assert.Equal((50, 70), (actual.Width, actual.Height));
        Assert.InRange(RenderHarness.MeanDifference(expected, actual.Bytes, grid: 20), 0, 8);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Render_ExifOrientationWithShrinkOnLoad_ComesOutUpright(int orientation)
    {
        var expected = RenderHarness.Render(Orientation(0), "t.resize(w:25)~t.toFormat(f:png)").Bytes;
        using (var stored = ImageProbe.Open(Orientation(orientation)))
        {
            // 5–8 are stored sideways: 70x50 on disk, 50x70 upright.
            Assert.Equal(orientation >= 5 ? (70, 50) : (50, 70), (stored.Width, stored.Height));
        }

        var actual = RenderHarness.Render(Orientation(orientation), "t.resize(w:25)~t.toFormat(f:png)");

        Assert.Equal((25, 35), (actual.Width, actual.Height));
        Assert.InRange(RenderHarness.MeanDifference(expected, actual.Bytes, grid: 10), 0, 12);
    }

    [Fact]
    public void MeanDifference_MirroredImage_IsLarge()
    {
        // The orientation checks above only mean something if a wrong orientation fails them.
        var upright = RenderHarness.Render(Orientation(0), "t.toFormat(f:png)").Bytes;
        var mirrored = RenderHarness.Render(Orientation(0), "t.flop()~t.toFormat(f:png)").Bytes;

        Assert.True(RenderHarness.MeanDifference(upright, mirrored, grid: 20) > 30);
    }

    // ---- Colour ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("t.toFormat(f:png)")]
    [InlineData("t.resize(w:100)~t.toFormat(f:png)")]
    public void Render_CmykJpeg_BecomesPlausibleSrgb(string pattern)
    {
        var cmyk = TestImages.Read(TestImages.Sample("cmyk-video001.jpeg"));
        using (var source = ImageProbe.Open(cmyk))
        {
            Assert.Equal(NetVips.Enums.Interpretation.Cmyk, source.Interpretation);
        }

        using var probe = RenderHarness.RenderAndProbe(cmyk, pattern);

        Assert.Equal(3, probe.Bands);
        Assert.Equal(NetVips.Enums.Interpretation.Srgb, probe.Interpretation);

        // Top left is the dark red backdrop, the lower middle the white laptop sign (an inverted CMYK would swap them).
        var backdrop = probe.Pixel(probe.Width / 10, probe.Height / 10);
        var sign = probe.Pixel(probe.Width / 2, probe.Height * 3 / 4);
        Assert.True(backdrop[0] > backdrop[1] + 30 && backdrop[0] > backdrop[2] + 30, string.Join(",", backdrop));
        // sharp 0.35.5 (built-in CMYK profile, perceptual intent) gives 81,4,0 here (82,5,0 after its resize).
        ResizeTests.AssertClose([81, 4, 0], backdrop, 8);
        Assert.True(sign.All(v => v > 200), string.Join(",", sign));
    }

    [Fact]
    public void Render_CmykJpeg_SameColoursWithAndWithoutShrinkOnLoad()
    {
        var cmyk = TestImages.Read(TestImages.Sample("cmyk-video001.jpeg"));

        var shrunk = RenderHarness.Render(cmyk, "t.resize(w:100)~t.toFormat(f:png)").Bytes;
        var resampled = RenderHarness.Render(cmyk, "t.flop()~t.flop()~t.resize(w:100)~t.toFormat(f:png)").Bytes;

        Assert.InRange(RenderHarness.MeanDifference(shrunk, resampled, grid: 20), 0, 4);
    }

    [Theory]
    [InlineData("t.toFormat(f:png)")]
    [InlineData("t.resize(w:200)~t.toFormat(f:png)")]
    [InlineData("t.flip()~t.flip()~t.resize(w:200)~t.toFormat(f:png)")]
    public void Render_ChannelSwappingIccProfile_IsApplied(string pattern)
    {
        // The stored pixels are rotated GBR; only through the profile does "RED" sit on red, at the top.
        var source = TestImages.Read(TestImages.Asset("edge/icc-rgb-to-gbr.png"));

        using var probe = RenderHarness.RenderAndProbe(source, pattern);

        Assert.False(probe.HasExifOrIcc);
        AssertDominant(probe.Pixel(probe.Width / 2, probe.Height * 8 / 100), 0);
        AssertDominant(probe.Pixel(probe.Width * 5 / 100, probe.Height * 80 / 100), 1);
        AssertDominant(probe.Pixel(probe.Width * 92 / 100, probe.Height * 65 / 100), 2);
    }

    [Fact]
    public void Render_DisplayP3Png_RendersAsSrgbWithAlpha()
    {
        var source = TestImages.Read(TestImages.Asset("edge/icc-displayp3-ring.png"));

        using var probe = RenderHarness.RenderAndProbe(source, "t.resize(w:200)");

        Assert.Equal((200, 200, 4), (probe.Width, probe.Height, probe.Bands));
        Assert.Equal(NetVips.Enums.Interpretation.Srgb, probe.Interpretation);
        Assert.False(probe.HasExifOrIcc);
    }

    [Fact]
    public void Render_AdobeRgbJpeg_IsConvertedNotJustStripped()
    {
        // Stripping the Adobe RGB profile without converting would leave the photo desaturated.
        var source = TestImages.Read(TestImages.Asset("derived/seeding-2000-adobergb-icc.jpg"));
        byte[] raw;
        using (var header = VipsImage.ThumbnailBuffer(source, 160))
        {
            raw = header.SaveToBuffer("pngsave_buffer");
        }

        var rendered = RenderHarness.Render(source, "t.resize(w:160)~t.toFormat(f:png)");

        Assert.Equal(160, rendered.Width);
        Assert.True(RenderHarness.MeanDifference(raw, rendered.Bytes) > 2, "the rendered pixels equal the unconverted ones");
    }

    [Fact]
    public void Render_SixteenBitPng_IsEncodedWithEightBitBands()
    {
        var source = TestImages.Read(TestImages.Asset("png16-64px-rec2020-linear.png"));
        Assert.Equal(16, source[24]);

        var result = RenderHarness.Render(source, "original");

        Assert.Equal("image/png", result.ContentType);
        Assert.Equal(8, result.Bytes[24]); // IHDR bit depth
        using var probe = ImageProbe.Open(result.Bytes);
        Assert.Equal((64, 64, 3), (probe.Width, probe.Height, probe.Bands));
        Assert.False(probe.HasExifOrIcc);
    }

    [Theory]
    [InlineData("original")]
    [InlineData("t.resize(w:100)")]
    [InlineData("t.resize(w:100,h:100,f:contain)~t.toFormat(f:png)")]
    public void Render_GreyscaleJpeg_StaysDecodable(string pattern)
    {
        var source = TestImages.Read(TestImages.Asset("edge/gray.jpeg"));

        using var probe = RenderHarness.RenderAndProbe(source, pattern);

        Assert.True(probe.Width > 0 && probe.Height > 0);
        Assert.InRange(probe.Bands, 1, 3);
    }

    // ---- Metadata --------------------------------------------------------------------------------

    [Theory]
    [InlineData("original")]
    [InlineData("t.resize(w:30)")]
    [InlineData("t.toFormat(f:webp)")]
    [InlineData("t.toFormat(f:png)")]
    public void Render_JpegWithExif_MetadataIsStripped(string pattern)
    {
        var source = Orientation(6);
        using (var input = ImageProbe.Open(source))
        {
            Assert.True(input.HasExifOrIcc);
        }

        using var probe = RenderHarness.RenderAndProbe(source, pattern);

        Assert.False(probe.HasExifOrIcc);
    }

    // ---- Failures --------------------------------------------------------------------------------

    [Fact]
    public void Render_RandomBytes_UnsupportedFormat()
    {
        var noise = new byte[4096];
        new Random(7).NextBytes(noise);

        var e = Assert.Throws<CdnException>(() => RenderHarness.Render(noise, "original"));

        Assert.Equal(CdnErrorKind.UnsupportedFormat, e.Kind);
    }

    [Theory]
    [InlineData("original")]
    [InlineData("t.resize(w:100)")]
    [InlineData("t.resize(w:100,k:nearest)")]
    [InlineData("t.flip()")]
    [InlineData("t.toFormat(f:png)")]
    public void Render_TruncatedJpeg_UndecodableImage(string pattern)
    {
        var truncated = Flower[..(Flower.Length / 2)];

        var e = Assert.Throws<CdnException>(() => RenderHarness.Render(truncated, pattern));

        Assert.Equal(CdnErrorKind.UndecodableImage, e.Kind);
    }

    [Fact]
    public void Render_TruncatedJpegsOnManyThreadsAtOnce_EachStillUndecodableImage()
    {
        // libvips' error buffer is process-wide: one thread's failure can clear another's message before it is read.
        var truncated = Flower[..(Flower.Length / 2)];
        var kinds = new System.Collections.Concurrent.ConcurrentBag<CdnErrorKind>();

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            kinds.Add(Assert.Throws<CdnException>(() => RenderHarness.Render(truncated, i % 2 == 0 ? "original" : "t.flip()")).Kind));

        Assert.Equal(64, kinds.Count);
        Assert.All(kinds, kind => Assert.Equal(CdnErrorKind.UndecodableImage, kind));
    }

    [Theory]
    [InlineData("original")]
    [InlineData("t.resize(w:50)")]
    public void Render_ProgressiveJpegMissingItsLastScans_StillRenders(string pattern)
    {
        // This "truncated" file still ends with an EOI marker: libjpeg decodes the scans it has, without a warning.
        var source = TestImages.Read(TestImages.Asset("edge/progressive-truncated.jpeg"));

        var result = RenderHarness.Render(source, pattern);

        Assert.Equal("image/jpeg", result.ContentType);
        Assert.True(result.Width is 150 or 50, $"{result.Width}x{result.Height}");
    }

    [Theory]
    [InlineData("original")]
    [InlineData("t.resize(w:100)")]
    public void Render_SourceOverThePixelLimit_LimitExceeded(string pattern)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Render(Flower, pattern, new RenderLimits { MaxSourcePixels = 1000 }));

        Assert.Equal(CdnErrorKind.LimitExceeded, e.Kind);
    }

    [Fact]
    public void Render_SourceAtThePixelLimit_IsAccepted()
    {
        var result = RenderHarness.Render(Flower, "t.resize(w:10)", new RenderLimits { MaxSourcePixels = 2268 * 1512 });

        Assert.Equal(10, result.Width);
    }

    // ---- Determinism -----------------------------------------------------------------------------

    [Fact]
    public async Task Render_ConcurrentRenders_ProduceTheSameBytesAsSequentialOnes()
    {
        string[] patterns =
        [
            "t.resize(w:200)",
            "t.resize(w:150,h:150,f:contain,b:ff0000)~t.toFormat(f:png)",
            "t.resize(h:120,k:mitchell)~t.flip()",
            "t.resize(w:160)~t.rotate(a:33,b:00ff0080)~t.toFormat(f:webp)",
            "t.resize(w:180,h:100,f:fill)~t.flop()~t.compress(q:40)",
            "t.resize(w:140,h:140,p:right)~t.toFormat(f:avif)",
            "t.resize(w:100)~t.rotate(a:-90)~t.toFormat(f:gif)",
            "t.resize(w:120,k:nearest)~t.toFormat(f:tiff)",
        ];
        var sequential = patterns.Select(p => RenderHarness.Render(Flower, p).Bytes).ToArray();

        var concurrent = await Task.WhenAll(patterns.Select(p => Task.Run(() => RenderHarness.Render(Flower, p).Bytes)));

        for (var i = 0; i < patterns.Length; i++)
        {
            Assert.True(sequential[i].AsSpan().SequenceEqual(concurrent[i]), patterns[i]);
        }
    }

    private static void AssertDominant(double[] pixel, int band)
    {
        for (var other = 0; other < 3; other++)
        {
            if (other != band)
            {
                Assert.True(pixel[band] > pixel[other] + 60, $"band {band} should dominate in {string.Join(",", pixel)}");
            }
        }
    }
}
