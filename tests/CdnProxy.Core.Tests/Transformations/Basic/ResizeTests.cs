using CdnProxy.Core.Transformations;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Core.Transformations.Basic;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class ResizeTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    // ---- Bind -----------------------------------------------------------------------------------

    [Fact]
    public void Bind_NoArguments_CanonicalFormHasEveryDefault()
    {
        Assert.Equal("t.resize(b:000000,dpr:1,f:cover,h:0,k:lanczos3,p:center,w:0)", RenderHarness.Canonical("t.resize()"));
    }

    [Theory]
    [InlineData("t.resize(w:300)", "t.resize(b:000000,dpr:1,f:cover,h:0,k:lanczos3,p:center,w:300)")]
    [InlineData("t.resize(p:centre,f:CONTAIN,b:FF0000)", "t.resize(b:ff0000,dpr:1,f:contain,h:0,k:lanczos3,p:center,w:0)")]
    [InlineData("t.resize(b:ff000080,dpr:2.50,k:nearest)", "t.resize(b:ff000080,dpr:2.5,f:cover,h:0,k:nearest,p:center,w:0)")]
    [InlineData("t.resize(b:ff0000ff)", "t.resize(b:ff0000,dpr:1,f:cover,h:0,k:lanczos3,p:center,w:0)")]
    [InlineData("t.resize(w:1,w:2)", "t.resize(b:000000,dpr:1,f:cover,h:0,k:lanczos3,p:center,w:2)")]
    public void Bind_Arguments_AreNormalisedInTheCanonicalForm(string pattern, string canonical)
    {
        Assert.Equal(canonical, RenderHarness.Canonical(pattern));
    }

    [Theory]
    [InlineData("w", "-1")]
    [InlineData("w", "100001")]
    [InlineData("w", "abc")]
    [InlineData("w", "1.5")]
    [InlineData("h", "-5")]
    [InlineData("h", "99999999999")]
    [InlineData("f", "stretch")]
    [InlineData("p", "middle")]
    [InlineData("k", "box")]
    [InlineData("b", "red")]
    [InlineData("b", "fff")]
    [InlineData("b", "gg0000")]
    [InlineData("dpr", "0")]
    [InlineData("dpr", "5.5")]
    [InlineData("dpr", "auto")]
    [InlineData("dpr", "1e3")]
    public void Bind_BadValue_InvalidArgumentNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.resize({key}:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownKey_InvalidArgumentNamingTheKey()
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind("t.resize(w:300,zoom:2)"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'zoom'", e.Message, StringComparison.Ordinal);
    }

    // ---- Render: sizes ------------------------------------------------------------------------

    [Theory]
    [InlineData("t.resize(w:300)", 300, 200)]
    [InlineData("t.resize(h:300)", 450, 300)]
    [InlineData("t.resize(w:300,h:300)", 300, 300)]
    [InlineData("t.resize(w:300,h:300,f:cover)", 300, 300)]
    [InlineData("t.resize(w:300,h:300,f:contain)", 300, 300)]
    [InlineData("t.resize(w:300,h:300,f:fill)", 300, 300)]
    [InlineData("t.resize(w:300,f:fill)", 300, 200)]
    [InlineData("t.resize(h:300,f:fill)", 450, 300)]
    [InlineData("t.resize(w:300,h:300,f:inside)", 300, 200)]
    [InlineData("t.resize(w:300,h:300,f:outside)", 450, 300)]
    [InlineData("t.resize(w:150,dpr:2)", 300, 200)]
    [InlineData("t.resize(w:0,h:0)", 2268, 1512)]
    public void Render_Flower_HasTheExpectedSize(string pattern, int width, int height)
    {
        var result = RenderHarness.Render(Flower, pattern);
        using var probe = ImageProbe.Open(result.Bytes);

        Assert.Equal((width, height), (result.Width, result.Height));
        Assert.Equal((width, height), (probe.Width, probe.Height));
        Assert.Equal("image/jpeg", result.ContentType);
    }

    [Fact]
    public void Render_RequestDpr_MultipliesTheSize()
    {
        var result = RenderHarness.Render(Flower, "t.resize(w:150)", dpr: 2);

        Assert.Equal((300, 200), (result.Width, result.Height));
    }

    [Theory]
    [InlineData("nearest")]
    [InlineData("cubic")]
    [InlineData("mitchell")]
    [InlineData("lanczos2")]
    [InlineData("lanczos3")]
    public void Render_EveryKernel_ProducesTheRequestedSize(string kernel)
    {
        var result = RenderHarness.Render(Flower, $"t.resize(w:300,k:{kernel})");

        Assert.Equal((300, 200), (result.Width, result.Height));
    }

    [Fact]
    public void Render_KernelsOtherThanLanczos3_LookLikeLanczos3()
    {
        var lanczos3 = RenderHarness.Render(Flower, "t.resize(w:300)~t.toFormat(f:png)").Bytes;
        var cubic = RenderHarness.Render(Flower, "t.resize(w:300,k:cubic)~t.toFormat(f:png)").Bytes;

        Assert.InRange(RenderHarness.MeanDifference(lanczos3, cubic), 0, 4);
    }

    [Fact]
    public void Render_OversizedFill_IsClampedToTheSideLimit()
    {
        var small = TestImages.Read(TestImages.Asset("edge/gray.jpeg"));

        var result = RenderHarness.Render(small, "t.resize(w:12000,h:100,f:fill)");

        Assert.Equal(10_000, result.Width);
        Assert.InRange(result.Height, 80, 86);
    }

    [Fact]
    public void Render_OversizedWidth_KeepsTheAspectRatioWithinTheLimit()
    {
        var small = TestImages.Read(TestImages.Asset("edge/orientation/orientation_0.jpg"));

        var result = RenderHarness.Render(small, "t.resize(w:20000)", new RenderLimits { MaxOutputSide = 1000 });

        Assert.True(Math.Max(result.Width, result.Height) <= 1000, $"{result.Width}x{result.Height}");
        Assert.Equal(1000, result.Height);
        Assert.InRange(result.Width, 713, 716);
    }

    // ---- Render: cover anchors, letterboxing ---------------------------------------------------

    [Fact]
    public void Render_CoverLeftAndRight_CropOppositeEndsOfTheScaledImage()
    {
        // Cover 300x300 scales the 3:2 photo to 450x300 and crops 150 px: p:left keeps x 0..299, p:right x 150..449.
        using var whole = RenderHarness.RenderAndProbe(Flower, "t.resize(h:300)~t.toFormat(f:png)");
        using var left = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300,h:300,p:left)~t.toFormat(f:png)");
        using var right = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300,h:300,p:right)~t.toFormat(f:png)");

        Assert.Equal(450, whole.Width);
        foreach (var (x, y) in new[] { (10, 10), (100, 150), (290, 290) })
        {
            AssertClose(whole.Pixel(x, y), left.Pixel(x, y), 2);
            AssertClose(whole.Pixel(x + 150, y), right.Pixel(x, y), 2);
        }

        Assert.NotEqual(left.Pixel(0, 150), right.Pixel(0, 150));
    }

    [Theory]
    [InlineData("attention")]
    [InlineData("entropy")]
    public void Render_SmartPositions_Give200x200(string position)
    {
        using var probe = RenderHarness.RenderAndProbe(Flower, $"t.resize(w:200,h:200,p:{position})~t.toFormat(f:png)");

        Assert.Equal((200, 200), (probe.Width, probe.Height));
    }

    [Theory]
    [InlineData("attention")]
    [InlineData("entropy")]
    public void Render_SmartPositions_KeepTheDetailedRegion_WhereTheCentreIsFlat(string position)
    {
        // 900x300: flat grey everywhere but a saturated, busy checkerboard at the right end. A centred cover crop to
        // 300x300 sees only grey; a smart one moves onto the pattern.
        using var black = VipsImage.Black(900, 300, bands: 3);
        using var grey = (black + 128).Cast(NetVips.Enums.BandFormat.Uchar);
        using var xy = VipsImage.Xyz(240, 240);
        using var cells = ((xy[0] / 20).Cast(NetVips.Enums.BandFormat.Int) + (xy[1] / 20).Cast(NetVips.Enums.BandFormat.Int)) % 2;
        using var red = cells * 255;
        using var pattern = red.Bandjoin(red * 0, 255 - red).Cast(NetVips.Enums.BandFormat.Uchar);
        using var composed = grey.Insert(pattern, 640, 30);
        var source = composed.PngsaveBuffer();

        using var centre = ImageProbe.Open(RenderHarness.Render(source, "t.resize(w:300,h:300)~t.toFormat(f:png)").Bytes);
        using var smart = ImageProbe.Open(RenderHarness.Render(source, $"t.resize(w:300,h:300,p:{position})~t.toFormat(f:png)").Bytes);

        Assert.Equal((300, 300), (smart.Width, smart.Height));
        var (centreMin, centreMax) = PixelStatistics.Range(centre);
        var (smartMin, smartMax) = PixelStatistics.Range(smart);
        Assert.True(centreMax - centreMin < 4, $"the centred crop should be flat grey, red {centreMin}..{centreMax}");
        Assert.True(smartMax - smartMin > 200, $"the {position} crop missed the pattern, red {smartMin}..{smartMax}");
    }

    [Theory]
    [InlineData("center", 50, 250)]
    [InlineData("top", 0, 200)]
    [InlineData("bottom", 100, 300)]
    public void Render_Contain_LetterboxesWithTheBackgroundAtTheAnchor(string position, int imageTop, int imageBottom)
    {
        using var probe = RenderHarness.RenderAndProbe(Flower, $"t.resize(w:300,h:300,f:contain,b:ff0000,p:{position})~t.toFormat(f:png)");

        Assert.Equal((300, 300, 3), (probe.Width, probe.Height, probe.Bands));
        for (var y = 0; y < 300; y += 10)
        {
            var inPadding = y < imageTop - 1 || y > imageBottom;
            if (inPadding)
            {
                AssertClose([255, 0, 0], probe.Pixel(150, y), 1);
                AssertClose([255, 0, 0], probe.Pixel(3, y), 1);
            }
        }

        // Inside the photo, away from the edges, nothing is pure red padding.
        Assert.NotEqual([255.0, 0, 0], probe.Pixel(150, (imageTop + imageBottom) / 2));
    }

    [Fact]
    public void Render_ContainWithTranslucentBackground_AddsAnAlphaChannel()
    {
        using var probe = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300,h:300,f:contain,b:00000000)~t.toFormat(f:png)");

        Assert.Equal(4, probe.Bands);
        Assert.True(probe.HasAlpha);
        Assert.Equal(0, probe.Pixel(150, 5)[3]);
        Assert.Equal(0, probe.Pixel(150, 295)[3]);
        Assert.Equal(255, probe.Pixel(150, 150)[3]);
    }

    [Fact]
    public void Render_ContainWithTranslucentBackgroundAsJpeg_FlattensToThreeBands()
    {
        using var probe = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300,h:300,f:contain,b:00000000)");

        Assert.Equal(3, probe.Bands);
    }

    [Fact]
    public void Render_ResizeAfterAnotherStep_MatchesShrinkOnLoad()
    {
        // A resize first is merged into decoding; after a no-op pair of flips it runs as a plain resample.
        var shrunk = RenderHarness.Render(Flower, "t.resize(w:300)~t.toFormat(f:png)").Bytes;
        var resampled = RenderHarness.Render(Flower, "t.flip()~t.flip()~t.resize(w:300)~t.toFormat(f:png)").Bytes;

        Assert.InRange(RenderHarness.MeanDifference(shrunk, resampled), 0, 3);
    }

    [Fact]
    public void Apply_NearestWidthOnly_PicksTheRowsAndColumnsSharpPicks()
    {
        // A 120×80 image whose pixel (x, y) holds (x, y), shrunk to 70 px wide with nearest neighbour. The expected
        // source rows and columns are those sharp 0.35.5 picks (resize with the width's factor on both axes). The
        // former per-axis factor 47/80 for the height picked rows 11, 16, 39, 51, ... instead of 10, 15, 40, 52, ...
        int[] columns =
        [
            0, 2, 4, 6, 7, 9, 11, 12, 14, 16, 18, 19, 21, 23, 24, 26, 28, 30, 31, 33, 35, 36, 38, 40, 42, 43, 45, 47,
            48, 50, 52, 54, 55, 57, 59, 60, 62, 64, 66, 67, 69, 71, 72, 74, 76, 77, 79, 81, 83, 84, 86, 88, 89, 91, 93,
            95, 96, 98, 100, 101, 103, 105, 107, 108, 110, 112, 113, 115, 117, 119,
        ];
        int[] rows =
        [
            0, 2, 4, 5, 7, 9, 10, 12, 14, 15, 17, 19, 21, 22, 24, 26, 28, 29, 31, 33, 34, 36, 38, 40, 41, 43, 45, 46,
            48, 50, 52, 53, 55, 57, 58, 60, 62, 64, 65, 67, 69, 70, 72, 74, 75, 77, 79,
        ];
        using var coordinates = Coordinates(120, 80);
        var resize = (Resize)RenderHarness.Bind("t.resize(w:70,k:nearest)").Transformations[0];

        using var lazy = resize.Apply(coordinates, new RenderContext(new RenderLimits(), 1));
        using var resized = lazy.CopyMemory();

        Assert.Equal((70, 47), (resized.Width, resized.Height));
        Assert.Equal(columns, Enumerable.Range(0, resized.Width).Select(x => (int)resized.Getpoint(x, 0)[0]));
        Assert.Equal(rows, Enumerable.Range(0, resized.Height).Select(y => (int)resized.Getpoint(0, y)[1]));
    }

    [Fact]
    public void Apply_NearestCover_CropsTheUniformlyScaledImage()
    {
        // Height decides (80 → 40, factor 1/2); the 60 px wide result is cropped to the 30 px box at the centre.
        using var coordinates = Coordinates(120, 80);
        var resize = (Resize)RenderHarness.Bind("t.resize(w:30,h:40,k:nearest)").Transformations[0];

        using var lazy = resize.Apply(coordinates, new RenderContext(new RenderLimits(), 1));
        using var resized = lazy.CopyMemory();

        Assert.Equal((30, 40), (resized.Width, resized.Height));
        Assert.Equal(15 * 2 + 1, (int)resized.Getpoint(0, 0)[0]);
        Assert.Equal(1, (int)resized.Getpoint(0, 0)[1]);
    }

    /// <summary>An 8-bit three-band image whose pixel (x, y) holds (x, y, 0).</summary>
    private static VipsImage Coordinates(int width, int height)
    {
        VipsTestRuntime.Ensure();
        using var xy = VipsImage.Xyz(width, height);
        using var bytes = xy.Cast(NetVips.Enums.BandFormat.Uchar);
        return bytes.Bandjoin(0.0);
    }

    internal static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.True(expected.Length <= actual.Length, $"expected {expected.Length} bands, got {actual.Length}");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"band {i}: expected {string.Join(",", expected)} ± {tolerance}, got {string.Join(",", actual)}");
        }
    }
}
