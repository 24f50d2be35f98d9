using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class GreyTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));
    private static readonly byte[] Gray = TestImages.Read(TestImages.Asset("edge/gray.jpeg"));

    [Fact]
    public void Bind_NoArguments_CanonicalFormIsEmpty()
    {
        Assert.Equal("t.grey()", RenderHarness.Canonical("t.grey()"));
    }

    [Fact]
    public void Bind_UnknownKey_IsRefused()
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind("t.grey(a:1)"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'a'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Jpeg_IsAOneBandJpeg()
    {
        using var probe = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.grey()");

        Assert.Equal("VipsForeignLoadJpegBuffer", probe.Loader);
        Assert.Equal(1, probe.Bands);
    }

    [Fact]
    public void Render_ToPng_GivesEqualChannelsEverywhere()
    {
        using var colour = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.toFormat(f:png)");
        using var grey = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.grey()~t.toFormat(f:png)");

        Assert.Equal(1, grey.Bands);
        foreach (var (x, y) in new[] { (0, 0), (100, 60), (150, 100), (199, 132) })
        {
            var p = colour.Pixel(x, y);
            var luminance = (0.2126 * p[0]) + (0.7152 * p[1]) + (0.0722 * p[2]);
            Assert.InRange(grey.Pixel(x, y)[0], luminance - 12, luminance + 12);
        }
    }

    [Fact]
    public void Render_WithAlpha_KeepsAlpha()
    {
        using var plain = RenderHarness.RenderAndProbe(Tulips, "t.toFormat(f:png)");
        using var grey = RenderHarness.RenderAndProbe(Tulips, "t.grey()~t.toFormat(f:png)");

        Assert.Equal(2, grey.Bands);
        Assert.True(grey.HasAlpha);
        foreach (var (x, y) in new[] { (0, 0), (250, 250), (plain.Width - 1, plain.Height - 1) })
        {
            Assert.Equal(plain.Pixel(x, y)[3], grey.Pixel(x, y)[1]);
        }
    }

    [Fact]
    public void Render_GreySource_IsUnchanged()
    {
        var plain = RenderHarness.Render(Gray, "t.toFormat(f:png)").Bytes;
        var grey = RenderHarness.Render(Gray, "t.grey()~t.toFormat(f:png)").Bytes;

        Assert.Equal(plain, grey);
    }
}
