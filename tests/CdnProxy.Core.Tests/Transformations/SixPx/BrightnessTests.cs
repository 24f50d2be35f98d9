using CdnProxy.Core.Tests.Rendering;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class BrightnessTests
{
    [Fact]
    public void Bind_Defaults_Zero() => Assert.Equal("filter.brightness(a:0)", RenderHarness.Canonical("filter.brightness()"));

    [Theory]
    [InlineData("-101")]
    [InlineData("101")]
    [InlineData("1.5")]
    public void Bind_OutOfRange_IsRefused(string value) => FilterHarness.AssertRefused($"filter.brightness(a:{value})", "a");

    [Fact]
    public void Render_Positive_AddsTwoPointFiveFivePerStep() =>
        FilterHarness.AssertPixel([151, 201, 251], FilterHarness.OnSolid("filter.brightness(a:20)", 100, 150, 200), 0);

    [Fact]
    public void Render_Hundred_WashesWhite() =>
        FilterHarness.AssertPixel([255, 255, 255], FilterHarness.OnSolid("filter.brightness(a:100)", 10, 20, 30), 0);

    [Fact]
    public void Render_MinusHundred_Blackens() =>
        FilterHarness.AssertPixel([0, 0, 0], FilterHarness.OnSolid("filter.brightness(a:-100)", 100, 150, 200), 0);

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("filter.brightness(a:30)");
}
