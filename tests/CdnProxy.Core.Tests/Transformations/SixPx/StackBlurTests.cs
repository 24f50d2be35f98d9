using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Core.Transformations.SixPx;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class StackBlurTests
{
    [Fact]
    public void Bind_Defaults_Zero() => Assert.Equal("filter.stackBlur(a:0)", RenderHarness.Canonical("filter.stackBlur()"));

    [Theory]
    [InlineData("-1")]
    [InlineData("101")]
    [InlineData("2.5")]
    public void Bind_OutOfRange_IsRefused(string value) => FilterHarness.AssertRefused($"filter.stackBlur(a:{value})", "a");

    [Fact]
    public void Tent_IsStackBlursWeights() => Assert.Equal([1.0, 2, 3, 2, 1], StackBlur.Tent(2));

    [Fact]
    public void Render_WhiteDot_SpreadsAsTheTentSquared()
    {
        using var probe = RenderHarness.RenderAndProbe(FilterHarness.Dot(21, 0, 255), "filter.stackBlur(a:2)~t.toFormat(f:png)");

        // weights (3/9)·(3/9) at the centre, (2/9)·(3/9) beside it, (1/9)·(1/9) at the corner of the 5×5 footprint, none beyond.
        Assert.Equal(28, probe.Pixel(10, 10)[0]);
        Assert.Equal(19, probe.Pixel(11, 10)[0]);
        Assert.Equal(3, probe.Pixel(12, 12)[0]);
        Assert.Equal(0, probe.Pixel(13, 10)[0]);
    }

    [Fact]
    public void Render_Flat_IsUnchanged() =>
        FilterHarness.AssertPixel([100, 150, 200], FilterHarness.OnSolid("filter.stackBlur(a:3)", 100, 150, 200), 0);

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("filter.stackBlur(a:3)");
}
