using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class FlipTests
{
    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

    [Fact]
    public void Bind_NoArguments_CanonicalFormIsBare()
    {
        Assert.Equal("t.flip()", RenderHarness.Canonical("t.flip()"));
    }

    [Fact]
    public void Bind_AnyArgument_IsUnknown()
    {
        var e = Assert.Throws<CdnProxy.Core.CdnException>(() => RenderHarness.Bind("t.flip(a:1)"));

        Assert.Equal(CdnProxy.Core.CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'a'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MirrorsTopToBottom()
    {
        using var original = RenderHarness.RenderAndProbe(Tulips, "original");
        using var flipped = RenderHarness.RenderAndProbe(Tulips, "t.flip()");

        Assert.Equal((original.Width, original.Height, original.Bands), (flipped.Width, flipped.Height, flipped.Bands));
        var bottom = original.Height - 1;
        foreach (var (x, y) in new[] { (0, 0), (120, 40), (250, 250), (499, 10), (37, 499) })
        {
            Assert.Equal(original.Pixel(x, bottom - y), flipped.Pixel(x, y));
        }
    }

    [Fact]
    public void Render_TwiceIsTheOriginal()
    {
        var original = RenderHarness.Render(Tulips, "original").Bytes;
        var twice = RenderHarness.Render(Tulips, "t.flip()~t.flip()").Bytes;

        Assert.Equal(0, RenderHarness.MeanDifference(original, twice));
    }
}
