using CdnProxy.Core.Tests.Rendering;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class ChannelsTests
{
    [Fact]
    public void Bind_Defaults_Zero() => Assert.Equal("filter.channels(b:0,g:0,r:0)", RenderHarness.Canonical("filter.channels()"));

    [Theory]
    [InlineData("r")]
    [InlineData("g")]
    [InlineData("b")]
    public void Bind_OutOfRange_IsRefused(string key) => FilterHarness.AssertRefused($"filter.channels({key}:101)", key);

    [Fact]
    public void Render_PositiveAndNegative_MoveTowardsWhiteAndBlack() =>
        // 100 + 155·0.5 = 177.5; 150 − 150·0.5 = 75; blue untouched
        FilterHarness.AssertPixel([177.5, 75, 200], FilterHarness.OnSolid("filter.channels(r:50,g:-50)", 100, 150, 200), 0.5);

    [Fact]
    public void Render_MinusHundred_CancelsTheChannel() =>
        FilterHarness.AssertPixel([100, 150, 0], FilterHarness.OnSolid("filter.channels(b:-100)", 100, 150, 200), 0);

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("filter.channels(r:30)");
}
