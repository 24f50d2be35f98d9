using CdnProxy.Core.Transformations;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class ToFormatTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    [Theory]
    [InlineData("t.toFormat()", "t.toFormat(f:jpeg,q:75)")]
    [InlineData("t.toFormat(f:jpg)", "t.toFormat(f:jpeg,q:75)")]
    [InlineData("t.toFormat(f:WEBP,q:80)", "t.toFormat(f:webp,q:80)")]
    [InlineData("t.toFormat(f:avif,q:best)", "t.toFormat(f:avif,q:90)")]
    [InlineData("t.toFormat(f:png,q:good)", "t.toFormat(f:png,q:80)")]
    [InlineData("t.toFormat(q:eco)", "t.toFormat(f:jpeg,q:65)")]
    [InlineData("t.toFormat(q:low)", "t.toFormat(f:jpeg,q:50)")]
    [InlineData("t.toFormat(q:BEST)", "t.toFormat(f:jpeg,q:90)")]
    [InlineData("t.toFormat(f:heif,q:eco)", "t.toFormat(f:heif,q:65)")]
    [InlineData("t.toFormat(f:bmp)", "t.toFormat(f:bmp,q:75)")]
    public void Bind_FormatAndQuality_CanonicalForm(string pattern, string canonical)
    {
        Assert.Equal(canonical, RenderHarness.Canonical(pattern));
    }

    [Theory]
    [InlineData("f", "svg")]
    [InlineData("f", "jxl")]
    [InlineData("q", "0")]
    [InlineData("q", "101")]
    [InlineData("q", "great")]
    [InlineData("q", "-1")]
    public void Bind_Unsupported_InvalidArgumentNamingTheKey(string key, string value)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind($"t.toFormat({key}:{value})"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_LastOutputStepWins()
    {
        var plan = RenderHarness.Bind("t.toFormat(f:png)~t.resize(w:10)~t.toFormat(f:webp,q:low)");

        Assert.Equal(new OutputSettings(OutputFormat.Webp, 50), plan.Output);
        Assert.Single(plan.Transformations);
    }

    [Theory]
    [InlineData("jpeg", "image/jpeg", "VipsForeignLoadJpegBuffer")]
    [InlineData("png", "image/png", "VipsForeignLoadPngBuffer")]
    [InlineData("webp", "image/webp", "VipsForeignLoadWebpBuffer")]
    [InlineData("avif", "image/avif", "VipsForeignLoadHeifBuffer")]
    [InlineData("gif", "image/gif", "VipsForeignLoadNsgifBuffer")]
    [InlineData("tiff", "image/tiff", "VipsForeignLoadTiffBuffer")]
    public void Render_EachFormat_IsEncodedInThatFormat(string format, string contentType, string loader)
    {
        var result = RenderHarness.Render(Flower, $"t.resize(w:120)~t.toFormat(f:{format})");
        using var probe = ImageProbe.Open(result.Bytes);

        Assert.Equal(contentType, result.ContentType);
        Assert.Equal(contentType, ContentTypeSniffer.Sniff(result.Bytes));
        Assert.Equal(loader, probe.Loader);
        Assert.Equal((120, 80), (probe.Width, probe.Height));
    }

    [Theory]
    [InlineData("photo-3mp-flower.jpg", "image/jpeg")]
    [InlineData("alpha-500-tulips.png", "image/png")]
    [InlineData("rose-lossy-alpha.webp", "image/webp")]
    [InlineData("anim-2frames.gif", "image/gif")]
    public void Render_WithoutToFormat_KeepsTheSourceFormat(string sample, string contentType)
    {
        var result = RenderHarness.Render(TestImages.Read(TestImages.Sample(sample)), "t.resize(w:50)");

        Assert.Equal(contentType, result.ContentType);
    }

    [Fact]
    public void Render_SvgSource_BecomesPng()
    {
        var result = RenderHarness.Render(TestImages.Read(TestImages.Asset("svg-w3c-gradients.svg")), "original");

        Assert.Equal("image/png", result.ContentType);
        Assert.Equal((480, 360), (result.Width, result.Height));
    }

    [Fact]
    public void Render_AlphaPngToJpeg_IsFlattenedToThreeBands()
    {
        var tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));
        using (var source = ImageProbe.Open(tulips))
        {
            Assert.True(source.HasAlpha);
        }

        using var probe = RenderHarness.RenderAndProbe(tulips, "t.toFormat(f:jpeg)");

        Assert.Equal(3, probe.Bands);
        Assert.False(probe.HasAlpha);
    }

    [Fact]
    public void Render_AlphaPngToWebp_KeepsAlpha()
    {
        var tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

        using var probe = RenderHarness.RenderAndProbe(tulips, "t.resize(w:100)~t.toFormat(f:webp)");

        Assert.True(probe.HasAlpha);
    }

    [Fact]
    public void Render_HigherQualityWebp_IsLarger()
    {
        var low = RenderHarness.Render(Flower, "t.resize(w:400)~t.toFormat(f:webp,q:low)").Bytes;
        var best = RenderHarness.Render(Flower, "t.resize(w:400)~t.toFormat(f:webp,q:best)").Bytes;

        Assert.True(low.Length < best.Length, $"low {low.Length} B, best {best.Length} B");
    }
}
