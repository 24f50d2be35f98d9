using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class FlopTests
{
    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

    [Fact]
    public void Bind_NoArguments_CanonicalFormIsBare()
    {
        Assert.Equal("t.flop()", RenderHarness.Canonical("t.flop()"));
    }

    [Fact]
    public void Render_MirrorsLeftToRight()
    {
        using var original = RenderHarness.RenderAndProbe(Tulips, "original");
        using var flopped = RenderHarness.RenderAndProbe(Tulips, "t.flop()");

        Assert.Equal((original.Width, original.Height, original.Bands), (flopped.Width, flopped.Height, flopped.Bands));
        var right = original.Width - 1;
        foreach (var (x, y) in new[] { (0, 0), (120, 40), (250, 250), (499, 10), (37, 499) })
        {
            Assert.Equal(original.Pixel(right - x, y), flopped.Pixel(x, y));
        }
    }

    [Fact]
    public void Render_FlipAndFlop_EqualsRotateBy180()
    {
        var both = RenderHarness.Render(Tulips, "t.flip()~t.flop()").Bytes;
        var rotated = RenderHarness.Render(Tulips, "t.rotate(a:180)").Bytes;

        Assert.Equal(0, RenderHarness.MeanDifference(both, rotated));
    }

    [Fact]
    public void Render_AfterShrinkOnLoad_StillMirrors()
    {
        using var resized = RenderHarness.RenderAndProbe(Tulips, "t.resize(w:100)");
        using var flopped = RenderHarness.RenderAndProbe(Tulips, "t.resize(w:100)~t.flop()");

        Assert.Equal(resized.Pixel(99, 30), flopped.Pixel(0, 30));
        Assert.Equal(resized.Pixel(20, 70), flopped.Pixel(79, 70));
    }
}
