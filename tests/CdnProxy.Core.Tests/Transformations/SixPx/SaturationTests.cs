using CdnProxy.Core.Tests.Rendering;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class SaturationTests
{
    [Fact]
    public void Bind_Defaults_Zero() => Assert.Equal("filter.saturation(a:0)", RenderHarness.Canonical("filter.saturation()"));

    [Theory]
    [InlineData("-101")]
    [InlineData("101")]
    public void Bind_OutOfRange_IsRefused(string value) => FilterHarness.AssertRefused($"filter.saturation(a:{value})", "a");

    [Fact]
    public void Render_MinusHundred_LiftsEveryChannelToTheMax() =>
        FilterHarness.AssertPixel([200, 200, 200], FilterHarness.OnSolid("filter.saturation(a:-100)", 100, 150, 200), 0);

    [Fact]
    public void Render_Fifty_PushesChannelsAwayFromTheMax() =>
        // v − (max − v)·0.5: 100 → 50, 150 → 125, 200 stays
        FilterHarness.AssertPixel([50, 125, 200], FilterHarness.OnSolid("filter.saturation(a:50)", 100, 150, 200), 0);

    [Fact]
    public void Render_Grey_StaysGrey() =>
        FilterHarness.AssertPixel([90, 90, 90], FilterHarness.OnSolid("filter.saturation(a:80)", 90, 90, 90), 0);

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("filter.saturation(a:30)");
}
