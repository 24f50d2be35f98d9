using CdnProxy.Core.Transformations;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Core.Transformations.Basic;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class NormaliseTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

    private static readonly byte[] Gray = TestImages.Read(TestImages.Asset("edge/gray.jpeg"));

    [Fact]
    public void Bind_NoArguments_CanonicalFormIsBare()
    {
        Assert.Equal("t.normalise()", RenderHarness.Canonical("t.normalise()"));
    }

    [Fact]
    public void Bind_AnyArgument_IsUnknown()
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind("t.normalise(lower:2)"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'lower'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LowContrastImage_WidensItsRange()
    {
        // A heavy blur leaves a narrow tonal range for normalise to stretch.
        const string Flat = "t.resize(w:300)~t.negate()~t.blur(s:8)";
        using var flat = RenderHarness.RenderAndProbe(Flower, Flat + "~t.toFormat(f:png)");
        using var normalised = RenderHarness.RenderAndProbe(Flower, Flat + "~t.normalise()~t.toFormat(f:png)");

        Assert.Equal((flat.Width, flat.Height, 3), (normalised.Width, normalised.Height, normalised.Bands));
        var before = Spread(flat);
        var after = Spread(normalised);
        Assert.True(after > before + 20, $"range {before} -> {after}");
    }

    [Fact]
    public void Render_WithAlpha_KeepsTheAlphaChannel()
    {
        using var original = RenderHarness.RenderAndProbe(Tulips, "original");
        using var normalised = RenderHarness.RenderAndProbe(Tulips, "t.normalise()");

        Assert.Equal(4, normalised.Bands);
        foreach (var (x, y) in new[] { (0, 0), (250, 250), (499, 499), (100, 400) })
        {
            Assert.Equal(original.Pixel(x, y)[3], normalised.Pixel(x, y)[3]);
        }
    }

    [Fact]
    public void Render_Greyscale_StaysOneBand()
    {
        using var normalised = RenderHarness.RenderAndProbe(Gray, "t.normalise()");

        Assert.Equal(1, normalised.Bands);
    }

    [Theory]
    [InlineData(100, 2, 100)]
    [InlineData(1000, 11, 991)]
    public void StretchRange_FloatRamp_UsesLibvipsPercentOfTheFloatBand(int width, int min, int max)
    {
        // L = 0, 1, ..., width-1. libvips bins the float band as 16-bit values into `width` bins (not 256) and takes
        // the first bin whose normalised cumulative count (truncated to an integer) exceeds percent × bins / 100.
        // With 100 bins no bin exceeds 99, so the top end is one past the largest value. These are sharp's end
        // points; an 8-bit cast of L (the former code) gave 1 and 99 for width 100.
        using var ramp = FloatRamp(width);

        Assert.Equal((min, max), Normalise.StretchRange(ramp));
    }

    [Fact]
    public void Apply_FlatImage_ReturnsTheInputUnchanged()
    {
        VipsTestRuntime.Ensure();
        using var black = VipsImage.Black(8, 8, bands: 3);
        using var grey = black.Linear([0.0], [128.0], uchar: true);
        using var srgb = grey.Colourspace(NetVips.Enums.Interpretation.Srgb, NetVips.Enums.Interpretation.Srgb);

        var result = new Normalise().Apply(srgb, new RenderContext(new RenderLimits(), 1));

        Assert.Same(srgb, result);
    }

    /// <summary>A one-row float image whose pixel x holds the value x.</summary>
    private static VipsImage FloatRamp(int width)
    {
        VipsTestRuntime.Ensure();
        using var xy = VipsImage.Xyz(width, 1);
        using var x = xy.ExtractBand(0);
        return x.Cast(NetVips.Enums.BandFormat.Float);
    }


    /// <summary>The spread of the green band (a proxy for luminance) over a sampled grid.</summary>
    private static double Spread(ImageProbe probe)
    {
        var (min, max) = PixelStatistics.Range(probe, band: 1);
        return max - min;
    }
}
