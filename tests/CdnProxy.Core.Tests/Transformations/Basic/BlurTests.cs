using CdnProxy.Core.Transformations;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Core.Transformations.Basic;
using CdnProxy.Tests.Common;
using CdnProxy.Vips;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class BlurTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

    private static readonly byte[] Rose = TestImages.Read(TestImages.Sample("rose-lossy-alpha.webp"));

    private static readonly byte[] Gray = TestImages.Read(TestImages.Asset("edge/gray.jpeg"));

    [Fact]
    public void Bind_NoArguments_CanonicalFormHasEveryDefault()
    {
        Assert.Equal("t.blur(dpr:1,s:0.3)", RenderHarness.Canonical("t.blur()"));
    }

    [Theory]
    [InlineData("s:5", "t.blur(dpr:1,s:5)")]
    [InlineData("s:2.50,dpr:2", "t.blur(dpr:2,s:2.5)")]
    public void Bind_Arguments_AreNormalised(string arguments, string canonical)
    {
        Assert.Equal(canonical, RenderHarness.Canonical($"t.blur({arguments})"));
    }

    [Theory]
    [InlineData("s", "0.2")]
    [InlineData("s", "101")]
    [InlineData("s", "soft")]
    [InlineData("dpr", "0")]
    [InlineData("dpr", "5.5")]
    [InlineData("r", "2")]
    public void Bind_BadOrUnknownArgument_InvalidArgumentNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.blur({key}:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LowersLocalContrastAndKeepsTheSize()
    {
        using var plain = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300)~t.toFormat(f:png)");
        using var blurred = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300)~t.blur(s:3)~t.toFormat(f:png)");

        Assert.Equal((plain.Width, plain.Height, plain.Bands), (blurred.Width, blurred.Height, blurred.Bands));
        Assert.True(PixelStatistics.LocalContrast(blurred) < PixelStatistics.LocalContrast(plain) * 0.8);
    }

    [Fact]
    public void Render_Dpr_MultipliesSigmaWithTheRequestDpr()
    {
        var byArgument = RenderHarness.Render(Flower, "t.resize(w:300)~t.blur(s:2,dpr:2)~t.toFormat(f:png)").Bytes;
        var bySigma = RenderHarness.Render(Flower, "t.resize(w:300)~t.blur(s:4)~t.toFormat(f:png)").Bytes;
        var byRequest = RenderHarness.Render(Flower, "t.blur(s:2)~t.toFormat(f:png)~t.resize(w:300)", dpr: 2).Bytes;
        var both = RenderHarness.Render(Flower, "t.resize(w:150)~t.blur(s:1,dpr:2)~t.toFormat(f:png)", dpr: 2).Bytes;

        Assert.Equal(bySigma, byArgument);
        Assert.Equal(bySigma, both);
        Assert.NotEqual(bySigma, byRequest);
    }

    [Fact]
    public void Apply_OpaqueAlpha_StaysOpaque()
    {
        VipsTestRuntime.Ensure();
        var png = RenderHarness.Render(Flower, "t.resize(w:120)~t.toFormat(f:png)").Bytes;
        using var loaded = VipsLoader.Load("pngload_buffer", png);
        using var opaque = loaded.BandjoinConst([255]);

        using var blurred = new Blur(10, 1).Apply(opaque, new RenderContext(new RenderLimits(), 1));

        Assert.Equal((opaque.Width, opaque.Height, 4), (blurred.Width, blurred.Height, blurred.Bands));
        Assert.Equal(NetVips.Enums.BandFormat.Uchar, blurred.Format);
        using var alpha = blurred.ExtractBand(3);
        Assert.Equal(255, alpha.Min());
    }

    [Fact]
    public void Render_StackedBlurs_GiveThePixelsOfTheLazyChain()
    {
        // The second blur reads the first one's result computed in memory (ComputedInputs): the same pixels, once.
        VipsTestRuntime.Ensure();
        var png = RenderHarness.Render(Flower, "t.resize(w:600)~t.toFormat(f:png)").Bytes;
        using var source = VipsLoader.Load("pngload_buffer", png);
        using var once = source.Gaussblur(12);
        using var twice = once.Gaussblur(12);

        using var rendered = VipsLoader.Load("pngload_buffer", RenderHarness.Render(png, "t.blur(s:12)~t.blur(s:12)~t.toFormat(f:png)").Bytes);
        using var difference = (rendered - twice).Abs();

        Assert.Equal(0, difference.Max());
    }

    [Fact]
    public void Render_WithAlpha_KeepsFourBandsAndLowersContrast()
    {
        using var original = RenderHarness.RenderAndProbe(Rose, "t.toFormat(f:png)");
        using var blurred = RenderHarness.RenderAndProbe(Rose, "t.blur(s:4)~t.toFormat(f:png)");

        Assert.Equal((original.Width, original.Height, 4), (blurred.Width, blurred.Height, blurred.Bands));
        Assert.True(PixelStatistics.LocalContrast(blurred) < PixelStatistics.LocalContrast(original));
    }

    [Fact]
    public void Render_Greyscale_StaysOneBand()
    {
        using var blurred = RenderHarness.RenderAndProbe(Gray, "t.blur(s:2)");

        Assert.Equal(1, blurred.Bands);
    }

    [Fact]
    public void Render_TulipsKeepFourBands()
    {
        using var blurred = RenderHarness.RenderAndProbe(Tulips, "t.blur(s:2)");

        Assert.Equal((500, 500, 4), (blurred.Width, blurred.Height, blurred.Bands));
    }

}
