using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class ModulateTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));
    private static readonly byte[] Gray = TestImages.Read(TestImages.Asset("edge/gray.jpeg"));

    // The corners of a 45° turn are filled with pure red: a known colour to modulate.
    private const string RedCorners = "t.resize(w:100)~t.rotate(a:45,b:ff0000)";

    [Fact]
    public void Bind_NoArguments_DefaultHueIs90()
    {
        Assert.Equal("t.modulate(b:1,h:90,s:1)", RenderHarness.Canonical("t.modulate()"));
    }

    [Theory]
    [InlineData("h:-90", "t.modulate(b:1,h:270,s:1)")]
    [InlineData("h:360", "t.modulate(b:1,h:0,s:1)")]
    [InlineData("b:2.50,s:0", "t.modulate(b:2.5,h:90,s:0)")]
    public void Bind_Values_AreNormalised(string arguments, string canonical)
    {
        Assert.Equal(canonical, RenderHarness.Canonical($"t.modulate({arguments})"));
    }

    [Theory]
    [InlineData("b", "0.5")]
    [InlineData("b", "11")]
    [InlineData("s", "-1")]
    [InlineData("s", "10.5")]
    [InlineData("h", "361")]
    [InlineData("h", "-361")]
    [InlineData("h", "1.5")]
    public void Bind_BadValue_InvalidArgumentNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.modulate({key}:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownKey_IsRefused()
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind("t.modulate(l:1)"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'l'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Hue180_TurnsRedCyanish()
    {
        using var probe = RenderHarness.RenderAndProbe(Flower, RedCorners + "~t.modulate(h:180)~t.toFormat(f:png)");

        var p = probe.Pixel(0, 0);
        Assert.True(p[0] < 80, $"red {p[0]}");
        Assert.True(p[1] > 100 && p[2] > 100, $"green {p[1]}, blue {p[2]}");
    }

    [Fact]
    public void Render_DefaultHue_ChangesRed()
    {
        using var probe = RenderHarness.RenderAndProbe(Flower, RedCorners + "~t.modulate()~t.toFormat(f:png)");

        Assert.True(probe.Pixel(0, 0)[0] < 200);
    }

    [Fact]
    public void Render_NoChange_IsIdentity()
    {
        var plain = RenderHarness.Render(Flower, "t.resize(w:200)~t.toFormat(f:png)").Bytes;
        var modulated = RenderHarness.Render(Flower, "t.resize(w:200)~t.modulate(h:0)~t.toFormat(f:png)").Bytes;

        Assert.Equal(plain, modulated);
    }

    [Fact]
    public void Render_ZeroSaturation_GivesEqualChannels()
    {
        using var probe = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.modulate(s:0,h:0)~t.toFormat(f:png)");

        foreach (var (x, y) in new[] { (0, 0), (100, 60), (150, 100) })
        {
            var p = probe.Pixel(x, y);
            ResizeTests.AssertClose([p[0], p[0], p[0]], p, 2);
        }
    }

    [Fact]
    public void Render_Brightness_Brightens()
    {
        using var plain = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.toFormat(f:png)");
        using var bright = RenderHarness.RenderAndProbe(Flower, "t.resize(w:200)~t.modulate(b:1.5,h:0)~t.toFormat(f:png)");

        Assert.True(bright.Pixel(100, 60).Sum() > plain.Pixel(100, 60).Sum());
    }

    [Fact]
    public void Render_WithAlpha_KeepsAlpha()
    {
        using var plain = RenderHarness.RenderAndProbe(Tulips, "t.toFormat(f:png)");
        using var modulated = RenderHarness.RenderAndProbe(Tulips, "t.modulate(h:180)~t.toFormat(f:png)");

        Assert.Equal(4, modulated.Bands);
        foreach (var (x, y) in new[] { (0, 0), (250, 250), (plain.Width - 1, plain.Height - 1) })
        {
            Assert.Equal(plain.Pixel(x, y)[3], modulated.Pixel(x, y)[3]);
        }
    }

    [Fact]
    public void Render_GreySource_StaysGreyAndBrightens()
    {
        using var plain = RenderHarness.RenderAndProbe(Gray, "t.toFormat(f:png)");
        using var bright = RenderHarness.RenderAndProbe(Gray, "t.modulate(b:2)~t.toFormat(f:png)");

        Assert.Equal(1, bright.Bands);
        var (x, y) = (plain.Width / 2, plain.Height / 2);
        Assert.True(bright.Pixel(x, y)[0] >= plain.Pixel(x, y)[0]);
    }
}
