using CdnProxy.Core.Transformations;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class CompressTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    [Theory]
    [InlineData("t.compress()", "t.compress(q:80)")]
    [InlineData("t.compress(q:30)", "t.compress(q:30)")]
    [InlineData("t.compress(q:007)", "t.compress(q:7)")]
    [InlineData("t.compress(q:0)", "t.compress(q:0)")]
    [InlineData("t.compress(q:good)", "t.compress(q:80)")]
    [InlineData("t.compress(q:LOW)", "t.compress(q:50)")]
    public void Bind_Quality_CanonicalForm(string pattern, string canonical)
    {
        Assert.Equal(canonical, RenderHarness.Canonical(pattern));
    }

    [Theory]
    [InlineData("101")]
    [InlineData("-5")]
    [InlineData("great")]
    [InlineData("50.5")]
    public void Bind_QualityOutOfRange_InvalidArgumentNamingQ(string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.compress(q:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'q'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_SetsOnlyTheQualityOfTheOutput()
    {
        var plan = RenderHarness.Bind("t.compress(q:30)");

        Assert.Empty(plan.Transformations);
        Assert.Equal(new OutputSettings(OutputFormat.Source, 30), plan.Output);
    }

    [Fact]
    public void Render_LowerQuality_SmallerJpeg()
    {
        var low = RenderHarness.Render(Flower, "t.resize(w:600)~t.compress(q:30)");
        var high = RenderHarness.Render(Flower, "t.resize(w:600)~t.compress(q:90)");

        Assert.Equal("image/jpeg", low.ContentType);
        Assert.Equal("image/jpeg", high.ContentType);
        Assert.True(low.Bytes.Length < high.Bytes.Length * 0.7, $"q30 {low.Bytes.Length} B, q90 {high.Bytes.Length} B");
        Assert.Equal((600, 400), (low.Width, low.Height));
    }

    [Fact]
    public void Render_WebpSource_StaysWebpAndShrinks()
    {
        var rose = TestImages.Read(TestImages.Sample("rose-lossy-alpha.webp"));

        var low = RenderHarness.Render(rose, "t.compress(q:20)");
        var high = RenderHarness.Render(rose, "t.compress(q:95)");

        Assert.Equal("image/webp", low.ContentType);
        Assert.True(low.Bytes.Length < high.Bytes.Length, $"q20 {low.Bytes.Length} B, q95 {high.Bytes.Length} B");
    }

    [Fact]
    public void Render_CompressAfterToFormat_KeepsTheFormatAndSetsTheQuality()
    {
        var plan = RenderHarness.Bind("t.toFormat(f:webp,q:90)~t.compress(q:40)");

        Assert.Equal(new OutputSettings(OutputFormat.Webp, 40), plan.Output);
    }
}
