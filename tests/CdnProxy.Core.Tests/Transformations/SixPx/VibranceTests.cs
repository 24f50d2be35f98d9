using CdnProxy.Core.Tests.Rendering;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class VibranceTests
{
    [Fact]
    public void Bind_Defaults_Zero() => Assert.Equal("filter.vibrance(a:0)", RenderHarness.Canonical("filter.vibrance()"));

    [Theory]
    [InlineData("-101")]
    [InlineData("101")]
    public void Bind_OutOfRange_IsRefused(string value) => FilterHarness.AssertRefused($"filter.vibrance(a:{value})", "a");

    [Fact]
    public void Render_Hundred_WeightsBySaturation()
    {
        // mean 150, max 200: amount = (50·2/255)·(−1) = −0.392; 100 → 60.8, 150 → 130.4, 200 stays
        FilterHarness.AssertPixel([61, 130, 200], FilterHarness.OnSolid("filter.vibrance(a:100)", 100, 150, 200), 1);
    }

    [Fact]
    public void Render_DullColour_GainsLessInAbsoluteTermsThanSaturation()
    {
        var vibrant = FilterHarness.OnSolid("filter.vibrance(a:100)", 140, 150, 160);
        var saturated = FilterHarness.OnSolid("filter.saturation(a:100)", 140, 150, 160);
        Assert.True(vibrant[0] > saturated[0], $"vibrance {vibrant[0]} vs saturation {saturated[0]}");
        Assert.True(vibrant[0] < 140, $"vibrance {vibrant[0]}");
    }

    [Fact]
    public void Render_Negative_DullsTowardsTheMax() =>
        FilterHarness.AssertPixel([139, 170, 200], FilterHarness.OnSolid("filter.vibrance(a:-100)", 100, 150, 200), 1);

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("filter.vibrance(a:30)");
}
