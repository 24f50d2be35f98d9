using CdnProxy.Core.Tests.Rendering;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class ContrastTests
{
    [Fact]
    public void Bind_Defaults_Zero() => Assert.Equal("filter.contrast(a:0)", RenderHarness.Canonical("filter.contrast()"));

    [Theory]
    [InlineData("-101")]
    [InlineData("101")]
    public void Bind_OutOfRange_IsRefused(string value) => FilterHarness.AssertRefused($"filter.contrast(a:{value})", "a");

    [Fact]
    public void Render_Hundred_QuadruplesTheDistanceFromMidGrey() =>
        FilterHarness.AssertPixel([17.5, 217.5, 255], FilterHarness.OnSolid("filter.contrast(a:100)", 100, 150, 200), 0.5);

    [Fact]
    public void Render_MinusHundred_FlattensToGrey() =>
        FilterHarness.AssertPixel([127.5, 127.5, 127.5], FilterHarness.OnSolid("filter.contrast(a:-100)", 10, 150, 250), 0.5);

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("filter.contrast(a:30)");
}
