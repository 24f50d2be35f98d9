using CdnProxy.Core.Tests.Rendering;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class ColorizeTests
{
    [Fact]
    public void Bind_Defaults_HalfBlue() => Assert.Equal("filter.colorize(c:0000ff,s:50)", RenderHarness.Canonical("filter.colorize()"));

    [Fact]
    public void Bind_BadColour_IsRefused() => FilterHarness.AssertRefused("filter.colorize(c:blue)", "c");

    [Fact]
    public void Bind_BadStrength_IsRefused() => FilterHarness.AssertRefused("filter.colorize(s:101)", "s");

    [Fact]
    public void Render_Half_MovesHalfWayToTheColour() =>
        FilterHarness.AssertPixel([50, 75, 227.5], FilterHarness.OnSolid("filter.colorize(c:0000ff,s:50)", 100, 150, 200), 0.5);

    [Fact]
    public void Render_Full_PaintsTheColour() =>
        FilterHarness.AssertPixel([0x12, 0x34, 0x56], FilterHarness.OnSolid("filter.colorize(c:123456,s:100)", 100, 150, 200), 0);

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("filter.colorize(c:00ff00,s:80)");
}
