using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Core.Tests.Transformations.SixPx;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Enhance;

public class MagicTests
{
    [Fact]
    public void Bind_Defaults_AreTheSeeds() => Assert.Equal("enhance.magic(ai:1.3,cc:1,ci:1)", RenderHarness.Canonical("enhance.magic()"));

    [Theory]
    [InlineData("ci", "2")]
    [InlineData("cc", "-1")]
    [InlineData("ai", "5.5")]
    [InlineData("ai", "-0.1")]
    public void Bind_OutOfRange_IsRefused(string key, string value) => FilterHarness.AssertRefused($"enhance.magic({key}:{value})", key);

    [Fact]
    public void Render_AllOff_IsIdentity()
    {
        var plain = RenderHarness.Render(TestImages.Read(TestImages.Flower), "t.resize(w:200)~t.toFormat(f:png)").Bytes;
        var magic = RenderHarness.Render(TestImages.Read(TestImages.Flower), "t.resize(w:200)~enhance.magic(ci:0,ai:0,cc:0)~t.toFormat(f:png)").Bytes;
        Assert.Equal(plain, magic);
    }

    [Fact]
    public void Render_ColourCast_IsNeutralised()
    {
        // A grey ramp with a yellow cast (blue at 60 %): after colour correction its channels agree again.
        VipsTestRuntime.Ensure();
        using var ramp = VipsImage.Xyz(256, 16).ExtractBand(0);
        using var cast = ramp.Bandjoin([ramp, ramp.Linear([0.6], [0.0])]).Cast(NetVips.Enums.BandFormat.Uchar)
            .Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
        using var probe = RenderHarness.RenderAndProbe(cast.PngsaveBuffer(), "enhance.magic(ci:0,ai:0)~t.toFormat(f:png)");
        var p = probe.Pixel(128, 8);
        Assert.InRange(p[1], p[0] - 4, p[0] + 4);
        Assert.InRange(p[2], p[0] - 4, p[0] + 4);
    }

    [Fact]
    public void Render_Dark_IsLifted_AndAiZeroLeavesItDark()
    {
        // Colour correction off, so only illumination can lift a dark (gamma 2.2) image.
        var dark = MagicMeasurement.Degrade(MagicMeasurement.Photos()[3].Clean, Degradation.Darkened);
        using var plain = ImageProbe.Open(dark);
        using var lifted = RenderHarness.RenderAndProbe(dark, "enhance.magic(ci:0,cc:0)~t.toFormat(f:png)");
        using var untouched = RenderHarness.RenderAndProbe(dark, "enhance.magic(ci:0,cc:0,ai:0)~t.toFormat(f:png)");
        Assert.True(lifted.Image.Avg() > plain.Image.Avg() + 20, $"{plain.Image.Avg()} → {lifted.Image.Avg()}");
        Assert.Equal(plain.Image.Avg(), untouched.Image.Avg(), 3);
    }

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("enhance.magic()");
}
