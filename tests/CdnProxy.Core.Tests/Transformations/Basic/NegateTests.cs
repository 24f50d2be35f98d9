using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class NegateTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

    private static readonly byte[] Gray = TestImages.Read(TestImages.Asset("edge/gray.jpeg"));

    private static readonly (int X, int Y)[] Points = [(0, 0), (37, 120), (150, 99), (250, 150), (299, 199)];

    [Fact]
    public void Bind_NoArguments_CanonicalFormIsBare()
    {
        Assert.Equal("t.negate()", RenderHarness.Canonical("t.negate()"));
    }

    [Fact]
    public void Bind_AnyArgument_IsUnknown()
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind("t.negate(alpha:false)"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'alpha'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MapsEachValueToItsComplement()
    {
        using var original = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300)~t.toFormat(f:png)");
        using var negated = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300)~t.negate()~t.toFormat(f:png)");

        Assert.Equal((original.Width, original.Height, 3), (negated.Width, negated.Height, negated.Bands));
        foreach (var (x, y) in Points)
        {
            Assert.Equal(original.Pixel(x, y).Select(v => 255 - v), negated.Pixel(x, y));
        }
    }

    [Fact]
    public void Render_WithAlpha_NegatesAlphaToo()
    {
        using var original = RenderHarness.RenderAndProbe(Tulips, "original");
        using var negated = RenderHarness.RenderAndProbe(Tulips, "t.negate()");

        Assert.Equal(4, negated.Bands);
        foreach (var (x, y) in Points.Append((499, 499)))
        {
            var before = original.Pixel(x, y);
            var after = negated.Pixel(x, y);
            Assert.Equal(255 - before[3], after[3]);
            if (before[3] == 255)
            {
                Assert.Equal(before.Take(3).Select(v => 255 - v), after.Take(3));
            }
        }
    }

    [Fact]
    public void Render_Greyscale_StaysOneBandAndIsComplemented()
    {
        using var original = RenderHarness.RenderAndProbe(Gray, "t.toFormat(f:png)");
        using var negated = RenderHarness.RenderAndProbe(Gray, "t.negate()~t.toFormat(f:png)");

        Assert.Equal(1, negated.Bands);
        Assert.Equal(255 - original.Pixel(5, 5)[0], negated.Pixel(5, 5)[0]);
    }

    [Fact]
    public void Render_TwiceIsTheOriginal()
    {
        var original = RenderHarness.Render(Tulips, "original").Bytes;
        var twice = RenderHarness.Render(Tulips, "t.negate()~t.negate()").Bytes;

        Assert.Equal(original, twice);
    }
}
