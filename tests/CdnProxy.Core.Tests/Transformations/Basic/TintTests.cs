using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class TintTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));
    private static readonly byte[] Gray = TestImages.Read(TestImages.Asset("edge/gray.jpeg"));

    private static readonly (int X, int Y)[] Points = [(0, 0), (100, 60), (150, 100), (199, 132)];

    [Fact]
    public void Bind_NoArguments_CanonicalFormHasEveryDefault()
    {
        Assert.Equal("t.tint(c:000000)", RenderHarness.Canonical("t.tint()"));
    }

    [Fact]
    public void Bind_Colour_IsLowercased()
    {
        Assert.Equal("t.tint(c:ff8000)", RenderHarness.Canonical("t.tint(c:FF8000)"));
    }

    [Theory]
    [InlineData("c", "red")]
    [InlineData("c", "12345")]
    public void Bind_BadValue_InvalidArgumentNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.tint({key}:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownKey_IsRefused()
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind("t.tint(b:ff0000)"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'b'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Red_MakesPixelsRedAndKeepsLuminance()
    {
        using var plain = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.grey()~t.toFormat(f:png)");
        using var tinted = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.tint(c:a04030)~t.toFormat(f:png)");
        using var tintedGrey = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.tint(c:a04030)~t.grey()~t.toFormat(f:png)");

        Assert.Equal(3, tinted.Bands);
        foreach (var (x, y) in Points)
        {
            var p = tinted.Pixel(x, y);
            Assert.True(p[0] >= p[1] && p[0] >= p[2], $"({x},{y}) is not reddish: {string.Join(",", p)}");
            Assert.InRange(tintedGrey.Pixel(x, y)[0], plain.Pixel(x, y)[0] - 8, plain.Pixel(x, y)[0] + 8);
        }
    }

    [Fact]
    public void Render_WhiteAndBlack_StayNeutralAsInSharp()
    {
        // sharp weights the tint by lightness: none at white and black, full in the mid-tones.
        using var probe = RenderHarness.RenderAndProbe(Flower, "t.resize(w:100)~t.extend(t:4,l:4,b:4,r:4,bc:ffffff)~t.extend(t:4,l:4,b:4,r:4)~t.tint(c:ff0000)~t.toFormat(f:png)");

        ResizeTests.AssertClose([255, 255, 255], probe.Pixel(5, 5), 3);
        ResizeTests.AssertClose([0, 0, 0], probe.Pixel(1, 1), 3);
    }

    [Fact]
    public void Render_Black_GivesEqualChannels()
    {
        using var probe = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.tint()~t.toFormat(f:png)");

        foreach (var (x, y) in Points)
        {
            var p = probe.Pixel(x, y);
            ResizeTests.AssertClose([p[0], p[0], p[0]], p, 2);
        }
    }

    [Fact]
    public void Render_WithAlpha_KeepsAlpha()
    {
        using var plain = RenderHarness.RenderAndProbe(Tulips, "t.toFormat(f:png)");
        using var tinted = RenderHarness.RenderAndProbe(Tulips, "t.tint(c:0000ff)~t.toFormat(f:png)");

        Assert.Equal(4, tinted.Bands);
        foreach (var (x, y) in new[] { (0, 0), (250, 250), (plain.Width - 1, plain.Height - 1) })
        {
            Assert.Equal(plain.Pixel(x, y)[3], tinted.Pixel(x, y)[3]);
        }
    }

    [Fact]
    public void Render_GreySource_BecomesColour()
    {
        using var probe = RenderHarness.RenderAndProbe(Gray, "t.tint(c:0000ff)~t.toFormat(f:png)");

        Assert.Equal(3, probe.Bands);
        var p = probe.Pixel(probe.Width / 2, probe.Height / 2);
        Assert.True(p[2] > p[0], $"not bluish: {string.Join(",", p)}");
    }
}
