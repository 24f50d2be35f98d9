using CdnProxy.Core.Tests.Rendering;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class GammaTests
{
    [Fact]
    public void Bind_Defaults_One() => Assert.Equal("filter.gamma(a:1)", RenderHarness.Canonical("filter.gamma()"));

    [Theory]
    [InlineData("-1")]
    [InlineData("100.5")]
    public void Bind_OutOfRange_IsRefused(string value) => FilterHarness.AssertRefused($"filter.gamma(a:{value})", "a");

    [Fact]
    public void Render_Two_SquaresTheUnitValue() =>
        // 255·(100/255)² = 39.2, 255·(150/255)² = 88.2, 255·(200/255)² = 156.9
        FilterHarness.AssertPixel([39, 88, 157], FilterHarness.OnSolid("filter.gamma(a:2)", 100, 150, 200), 0.5);

    [Fact]
    public void Render_Half_Lightens() =>
        FilterHarness.AssertPixel([159.7, 195.6, 225.8], FilterHarness.OnSolid("filter.gamma(a:0.5)", 100, 150, 200), 0.6);

    [Fact]
    public void Render_KeepsBlackAndWhite() =>
        FilterHarness.AssertPixel([0, 255, 0], FilterHarness.OnSolid("filter.gamma(a:3)", 0, 255, 0), 0);

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("filter.gamma(a:2)");
}
