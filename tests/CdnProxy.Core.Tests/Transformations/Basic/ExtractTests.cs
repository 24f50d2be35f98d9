using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class ExtractTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

    [Fact]
    public void Bind_NoArguments_CanonicalFormHasEveryDefault()
    {
        Assert.Equal("t.extract(h:50,l:10,t:10,w:20)", RenderHarness.Canonical("t.extract()"));
    }

    [Fact]
    public void Bind_Bbox_IsKeptInTheCanonicalForm()
    {
        Assert.Equal(
            "t.extract(bbox:10_20_30_40,h:50,l:10,t:10,w:20)",
            RenderHarness.Canonical("t.extract(bbox:10_20_30_40)"));
    }

    [Theory]
    [InlineData("t", "-1")]
    [InlineData("l", "100001")]
    [InlineData("h", "0")]
    [InlineData("w", "0")]
    [InlineData("w", "wide")]
    [InlineData("bbox", "1_2_0_4")]
    [InlineData("bbox", "1_2_3_0")]
    [InlineData("bbox", "1_2_3")]
    public void Bind_BadValue_InvalidArgumentNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.extract({key}:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownKey_InvalidArgument()
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind("t.extract(x:1)"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Region_HasItsSize()
    {
        var result = RenderHarness.Render(Flower, "t.extract(t:100,l:200,h:300,w:400)");

        Assert.Equal((400, 300), (result.Width, result.Height));
    }

    [Fact]
    public void Render_Bbox_WinsOverTheSeparateKeys()
    {
        var result = RenderHarness.Render(Flower, "t.extract(t:1,l:1,h:5,w:5,bbox:10_20_30_40)");

        Assert.Equal((40, 30), (result.Width, result.Height));
    }

    [Fact]
    public void Render_Region_CopiesThePixelsAtItsOffset()
    {
        using var original = RenderHarness.RenderAndProbe(Tulips, "original");
        using var region = RenderHarness.RenderAndProbe(Tulips, "t.extract(t:40,l:120,h:200,w:150)");

        Assert.Equal((150, 200, original.Bands), (region.Width, region.Height, region.Bands));
        foreach (var (x, y) in new[] { (0, 0), (149, 199), (75, 100), (3, 190) })
        {
            Assert.Equal(original.Pixel(120 + x, 40 + y), region.Pixel(x, y));
        }
    }

    [Fact]
    public void Render_AfterResize_UsesTheResizedSize()
    {
        var result = RenderHarness.Render(Flower, "t.resize(w:300)~t.extract(t:0,l:0,h:200,w:300)");

        Assert.Equal((300, 200), (result.Width, result.Height));
    }

    [Theory]
    [InlineData("t:0,l:0,h:201,w:300")]
    [InlineData("t:0,l:1,h:200,w:300")]
    [InlineData("t:500,l:500,h:10,w:10")]
    [InlineData("bbox:-1_0_10_10")]
    public void Render_RegionOutsideTheImage_InvalidArgument(string arguments)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Render(Flower, $"t.resize(w:300)~t.extract({arguments})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("t.extract", e.Message, StringComparison.Ordinal);
        Assert.Contains("outside the image", e.Message, StringComparison.Ordinal);
    }
}
