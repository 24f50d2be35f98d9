using CdnProxy.Core.Tests.Rendering;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

public class InvertTests
{
    [Fact]
    public void Bind_Defaults_Inverts() => Assert.Equal("filter.invert(a:true)", RenderHarness.Canonical("filter.invert()"));

    [Fact]
    public void Bind_NotAFlag_IsRefused() => FilterHarness.AssertRefused("filter.invert(a:2)", "a");

    [Fact]
    public void Render_Inverts() => FilterHarness.AssertPixel([155, 105, 55], FilterHarness.OnSolid("filter.invert()", 100, 150, 200), 0);

    [Fact]
    public void Render_False_IsIdentity() => FilterHarness.AssertPixel([100, 150, 200], FilterHarness.OnSolid("filter.invert(a:false)", 100, 150, 200), 0);

    [Fact]
    public void Render_Twice_IsIdentity() => FilterHarness.AssertPixel([100, 150, 200], FilterHarness.OnSolid("filter.invert()~filter.invert()", 100, 150, 200), 0);

    [Fact]
    public void Render_WithAlpha_KeepsAlpha() => FilterHarness.AssertKeepsAlpha("filter.invert()");
}
