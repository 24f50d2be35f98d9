using CdnProxy.Core.Tests.Rendering;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class SepiaTests
{
    [Fact]
    public void Bind_Defaults_FullSepia() => Assert.Equal("filter.sepia(a:100)", RenderHarness.Canonical("filter.sepia()"));

    [Theory]
    [InlineData("-1")]
    [InlineData("101")]
    [InlineData("x")]
    public void Bind_OutOfRange_IsRefused(string value) => FilterHarness.AssertRefused($"filter.sepia(a:{value})", "a");

    [Fact]
    public void Render_Full_AppliesTheSepiaMatrix()
    {
        // 0.393·100 + 0.769·150 + 0.189·200 = 192.45; 0.349·100 + 0.686·150 + 0.168·200 = 171.4; 0.272·100 + 0.534·150 + 0.131·200 = 133.5
        FilterHarness.AssertPixel([192, 171, 133.5], FilterHarness.OnSolid("filter.sepia(a:100)", 100, 150, 200), 1);
    }

    [Fact]
    public void Render_Half_BlendsWithTheOriginal()
    {
        var half = FilterHarness.OnSolid("filter.sepia(a:50)", 100, 150, 200);
        FilterHarness.AssertPixel([146, 160.5, 166.75], half, 1);
    }

    [Fact]
    public void Render_Zero_IsIdentity() => FilterHarness.AssertPixel([100, 150, 200], FilterHarness.OnSolid("filter.sepia(a:0)", 100, 150, 200), 0);

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("filter.sepia(a:70)");
}
