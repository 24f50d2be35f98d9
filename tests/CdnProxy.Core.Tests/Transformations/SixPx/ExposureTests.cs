using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Core.Transformations.SixPx;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class ExposureTests
{
    [Fact]
    public void Bind_Defaults_Zero() => Assert.Equal("filter.exposure(a:0)", RenderHarness.Canonical("filter.exposure()"));

    [Theory]
    [InlineData("-101")]
    [InlineData("101")]
    public void Bind_OutOfRange_IsRefused(string value) => FilterHarness.AssertRefused($"filter.exposure(a:{value})", "a");

    [Theory]
    [InlineData(50)]
    [InlineData(-50)]
    [InlineData(100)]
    [InlineData(-100)]
    public void Curve_IsMonotoneAndKeepsTheFarEnd(int amount)
    {
        // Brightening keeps white (and lifts the deepest shadows, as CamanJS's curve does); darkening keeps black.
        var curve = Exposure.Curve(amount);
        Assert.Equal(amount > 0 ? 255 : 0, curve[amount > 0 ? 255 : 0]);
        for (var i = 1; i < curve.Length; i++)
        {
            Assert.True(curve[i] >= curve[i - 1], $"curve({amount}) falls at {i}");
        }
    }

    [Fact]
    public void Curve_Positive_MirrorsNegative()
    {
        var up = Exposure.Curve(60);
        var down = Exposure.Curve(-60);
        Assert.True(up[128] > 160, $"up {up[128]}");
        Assert.True(down[128] < 96, $"down {down[128]}");
    }

    [Fact]
    public void Render_Positive_BrightensMidTones()
    {
        var pixel = FilterHarness.OnSolid("filter.exposure(a:50)", 128, 128, 128);
        Assert.Equal(Exposure.Curve(50)[128], pixel[0]);
        Assert.True(pixel[0] > 150, $"{pixel[0]}");
    }

    [Fact]
    public void Render_Negative_DarkensMidTones() => Assert.True(FilterHarness.OnSolid("filter.exposure(a:-50)", 128, 128, 128)[0] < 105);

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("filter.exposure(a:30)");
}
