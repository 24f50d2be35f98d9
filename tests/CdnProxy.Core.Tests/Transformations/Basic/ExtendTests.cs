using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class ExtendTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

    private static readonly byte[] Gray = TestImages.Read(TestImages.Asset("edge/gray.jpeg"));

    [Fact]
    public void Bind_NoArguments_CanonicalFormHasEveryDefault()
    {
        Assert.Equal("t.extend(b:10,bc:000000,bt:constant,dpr:1,l:10,r:10,t:10)", RenderHarness.Canonical("t.extend()"));
    }

    [Theory]
    [InlineData("t:0,l:500,bc:FF0000,bt:wrap,dpr:2.0", "t.extend(b:10,bc:ff0000,bt:wrap,dpr:2,l:500,r:10,t:0)")]
    [InlineData("bt:reflect,r:3,b:4", "t.extend(b:4,bc:000000,bt:reflect,dpr:1,l:10,r:3,t:10)")]
    public void Bind_Arguments_AreNormalisedInTheCanonicalForm(string arguments, string canonical)
    {
        Assert.Equal(canonical, RenderHarness.Canonical($"t.extend({arguments})"));
    }

    [Theory]
    [InlineData("t", "501")]
    [InlineData("l", "-1")]
    [InlineData("b", "ten")]
    [InlineData("r", "1.5")]
    [InlineData("bc", "nope")]
    [InlineData("bt", "zigzag")]
    [InlineData("dpr", "6")]
    public void Bind_BadValue_InvalidArgumentNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.extend({key}:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownKey_InvalidArgument()
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind("t.extend(x:1)"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 320, 220)]
    [InlineData("t:1,l:2,b:3,r:4", 306, 204)]
    [InlineData("t:0,l:0,b:0,r:0", 300, 200)]
    [InlineData("t:10,l:10,b:0,r:0,dpr:2", 320, 220)]
    [InlineData("t:5,l:5,b:5,r:5,bt:wrap,dpr:1.5", 316, 216)]
    public void Render_Pads_GrowTheCanvas(string arguments, int width, int height)
    {
        var result = RenderHarness.Render(Flower, $"t.resize(w:300)~t.extend({arguments})");

        Assert.Equal((width, height), (result.Width, result.Height));
    }

    [Fact]
    public void Render_RequestDpr_MultipliesThePadsToo()
    {
        // The resize doubles with the request's dpr as well: 600x400, then 2 * 2 * 10 px on each side.
        var result = RenderHarness.Render(Flower, "t.resize(w:300)~t.extend(t:10,l:10,b:10,r:10,dpr:2)", dpr: 2);

        Assert.Equal((680, 480), (result.Width, result.Height));
    }

    [Fact]
    public void Render_Constant_FillsWithTheColourAndKeepsTheImage()
    {
        using var original = RenderHarness.RenderAndProbe(Tulips, "original");
        using var padded = RenderHarness.RenderAndProbe(Tulips, "t.extend(t:7,l:9,b:0,r:0,bc:ff000080)");

        Assert.Equal((509, 507, 4), (padded.Width, padded.Height, padded.Bands));
        Assert.Equal([255, 0, 0, 128], padded.Pixel(0, 0));
        Assert.Equal([255, 0, 0, 128], padded.Pixel(8, 506));
        foreach (var (x, y) in new[] { (0, 0), (250, 250), (499, 499) })
        {
            Assert.Equal(original.Pixel(x, y), padded.Pixel(x + 9, y + 7));
        }
    }

    [Fact]
    public void Render_TranslucentColourOnOpaqueImage_AddsAnAlphaChannel()
    {
        using var probe = RenderHarness.RenderAndProbe(Flower, "t.resize(w:300)~t.extend(bc:00ff0000)~t.toFormat(f:png)");

        Assert.True(probe.HasAlpha);
        Assert.Equal(0, probe.Pixel(0, 0)[3]);
        Assert.Equal(255, probe.Pixel(160, 110)[3]);
    }

    [Fact]
    public void Render_ColourOnGreyscale_UsesItsLuminance()
    {
        using var probe = RenderHarness.RenderAndProbe(Gray, "t.extend(bc:ff0000)~t.toFormat(f:png)");

        Assert.Equal(1, probe.Bands);
        ResizeTests.AssertClose([54], probe.Pixel(0, 0), 1);
    }

    [Theory]
    [InlineData("replicate")]
    [InlineData("reflect")]
    [InlineData("wrap")]
    public void Render_BorderTypes_FillFromTheImage(string border)
    {
        using var original = RenderHarness.RenderAndProbe(Tulips, "original");
        using var padded = RenderHarness.RenderAndProbe(Tulips, $"t.extend(t:0,l:20,b:0,r:0,bt:{border})");

        Assert.Equal((520, 500), (padded.Width, padded.Height));
        foreach (var y in new[] { 0, 123, 250, 499 })
        {
            foreach (var k in new[] { 0, 5, 19 })
            {
                // k pixels left of the image's left edge.
                var source = border switch
                {
                    "replicate" => 0,
                    "reflect" => k,
                    _ => 499 - k,
                };
                Assert.Equal(original.Pixel(source, y), padded.Pixel(19 - k, y));
            }
        }
    }
}
