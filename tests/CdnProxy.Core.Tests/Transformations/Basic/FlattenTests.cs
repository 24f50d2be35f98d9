using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class FlattenTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

    private static readonly byte[] Gray = TestImages.Read(TestImages.Asset("edge/gray.jpeg"));

    [Fact]
    public void Bind_NoArguments_CanonicalFormHasEveryDefault()
    {
        Assert.Equal("t.flatten(b:000000)", RenderHarness.Canonical("t.flatten()"));
    }

    [Fact]
    public void Bind_Colour_IsLowercaseInTheCanonicalForm()
    {
        Assert.Equal("t.flatten(b:ffee00)", RenderHarness.Canonical("t.flatten(b:FFEE00)"));
    }

    [Theory]
    [InlineData("b", "red")]
    [InlineData("b", "12345")]
    public void Bind_BadValue_InvalidArgumentNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.flatten({key}:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownKey_InvalidArgument()
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind("t.flatten(x:1)"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AlphaImage_IsCompositedOntoTheBackground()
    {
        using var original = RenderHarness.RenderAndProbe(Tulips, "t.extend(t:5,l:5,b:0,r:0,bc:ffffff00)");
        using var flat = RenderHarness.RenderAndProbe(Tulips, "t.extend(t:5,l:5,b:0,r:0,bc:ffffff00)~t.flatten(b:ff0000)");

        Assert.Equal(4, original.Bands);
        Assert.Equal((original.Width, original.Height, 3), (flat.Width, flat.Height, flat.Bands));
        Assert.False(flat.HasAlpha);
        Assert.Equal([255, 0, 0], flat.Pixel(0, 0));
        double[] background = [255, 0, 0];
        foreach (var (x, y) in new[] { (5, 5), (100, 300), (250, 250), (504, 504), (400, 20) })
        {
            var p = original.Pixel(x, y);
            var a = p[3] / 255;
            ResizeTests.AssertClose([.. Enumerable.Range(0, 3).Select(i => (p[i] * a) + (background[i] * (1 - a)))], flat.Pixel(x, y), 1);
        }
    }

    [Fact]
    public void Render_GreyscaleWithAlpha_UsesTheColoursLuminance()
    {
        using var flat = RenderHarness.RenderAndProbe(Gray, "t.extend(bc:00000000)~t.flatten(b:ff0000)~t.toFormat(f:png)");

        Assert.Equal(1, flat.Bands);
        ResizeTests.AssertClose([54], flat.Pixel(0, 0), 1);
    }

    [Fact]
    public void Render_ImageWithoutAlpha_IsUnchanged()
    {
        var plain = RenderHarness.Render(Flower, "t.resize(w:300)").Bytes;
        var flattened = RenderHarness.Render(Flower, "t.resize(w:300)~t.flatten(b:ff0000)").Bytes;

        Assert.Equal(plain, flattened);
    }
}
