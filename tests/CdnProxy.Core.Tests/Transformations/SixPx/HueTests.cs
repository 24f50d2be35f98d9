using CdnProxy.Core.Tests.Rendering;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class HueTests
{
    [Fact]
    public void Bind_Defaults_Zero() => Assert.Equal("filter.hue(a:0)", RenderHarness.Canonical("filter.hue()"));

    [Theory]
    [InlineData("-1")]
    [InlineData("101")]
    public void Bind_OutOfRange_IsRefused(string value) => FilterHarness.AssertRefused($"filter.hue(a:{value})", "a");

    [Fact]
    public void Render_Half_TurnsRedCyan() =>
        FilterHarness.AssertPixel([0, 255, 255], FilterHarness.OnSolid("filter.hue(a:50)", 255, 0, 0), 6);

    [Fact]
    public void Render_Third_TurnsRedGreen() =>
        FilterHarness.AssertPixel([0, 255, 0], FilterHarness.OnSolid("filter.hue(a:33.3333)", 255, 0, 0), 8);

    [Fact]
    public void Render_FullTurn_IsIdentity() =>
        FilterHarness.AssertPixel([100, 150, 200], FilterHarness.OnSolid("filter.hue(a:100)", 100, 150, 200), 0);

    [Fact]
    public void Render_Grey_StaysGrey() =>
        FilterHarness.AssertPixel([90, 90, 90], FilterHarness.OnSolid("filter.hue(a:40)", 90, 90, 90), 1);

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("filter.hue(a:30)");
}
