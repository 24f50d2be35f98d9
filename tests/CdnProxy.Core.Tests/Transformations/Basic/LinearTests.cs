using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class LinearTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));
    private static readonly byte[] Gray = TestImages.Read(TestImages.Asset("edge/gray.jpeg"));

    [Fact]
    public void Bind_NoArguments_CanonicalFormHasEveryDefault()
    {
        Assert.Equal("t.linear(a:1,b:0)", RenderHarness.Canonical("t.linear()"));
    }

    [Fact]
    public void Bind_Numbers_AreNormalised()
    {
        Assert.Equal("t.linear(a:1.5,b:-20)", RenderHarness.Canonical("t.linear(b:-20.0,a:01.50)"));
    }

    [Theory]
    [InlineData("a", "100.5")]
    [InlineData("a", "-101")]
    [InlineData("a", "x")]
    [InlineData("b", "256")]
    [InlineData("b", "-256")]
    public void Bind_BadValue_InvalidArgumentNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.linear({key}:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownKey_IsRefused()
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind("t.linear(c:1)"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'c'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Identity_ChangesNothing()
    {
        var plain = RenderHarness.Render(Flower, "t.resize(w:200)~t.toFormat(f:png)").Bytes;
        var linear = RenderHarness.Render(Flower, "t.resize(w:200)~t.linear(a:1,b:0)~t.toFormat(f:png)").Bytes;

        Assert.Equal(plain, linear);
    }

    [Fact]
    public void Render_ZeroMultiplier_GivesTheOffsetEverywhere()
    {
        using var probe = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.linear(a:0,b:128)~t.toFormat(f:png)");

        foreach (var (x, y) in new[] { (0, 0), (100, 60), (199, 132) })
        {
            Assert.Equal([128, 128, 128], probe.Pixel(x, y));
        }
    }

    [Fact]
    public void Render_Overflow_IsClippedTo8Bits()
    {
        using var bright = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.linear(a:10,b:255)~t.toFormat(f:png)");
        using var dark = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.linear(a:-1,b:-10)~t.toFormat(f:png)");

        Assert.Equal([255, 255, 255], bright.Pixel(50, 50));
        Assert.Equal([0, 0, 0], dark.Pixel(50, 50));
    }

    [Fact]
    public void Render_Halving_HalvesEachColourBand()
    {
        using var plain = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.toFormat(f:png)");
        using var half = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.linear(a:0.5,b:10)~t.toFormat(f:png)");

        var expected = plain.Pixel(100, 60).Select(v => (v * 0.5) + 10).ToArray();
        ResizeTests.AssertClose(expected, half.Pixel(100, 60), 1);
    }

    [Fact]
    public void Render_WithAlpha_LeavesAlphaUntouched()
    {
        using var plain = RenderHarness.RenderAndProbe(Tulips, "t.toFormat(f:png)");
        using var linear = RenderHarness.RenderAndProbe(Tulips, "t.linear(a:0,b:128)~t.toFormat(f:png)");

        Assert.Equal(4, linear.Bands);
        foreach (var (x, y) in new[] { (0, 0), (250, 250), (plain.Width - 1, plain.Height - 1) })
        {
            var p = linear.Pixel(x, y);
            Assert.Equal([128, 128, 128], p[..3]);
            Assert.Equal(plain.Pixel(x, y)[3], p[3]);
        }
    }

    [Fact]
    public void Render_Greyscale_StaysOneBand()
    {
        using var probe = RenderHarness.RenderAndProbe(Gray, "t.linear(a:0,b:77)~t.toFormat(f:png)");

        Assert.Equal(1, probe.Bands);
        Assert.Equal([77], probe.Pixel(0, 0));
    }
}
