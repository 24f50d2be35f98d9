using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Tests.Rendering;
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

    /// <summary>The spread of the green band (a proxy for luminance) over a sampled grid.</summary>
    private static double Spread(ImageProbe probe)
    {
        var (min, max) = PixelStatistics.Range(probe, band: 1);
        return max - min;
    }
}
