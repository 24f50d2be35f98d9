using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Tests.Common;
using CdnProxy.Vips;

namespace CdnProxy.Core.Tests.Rendering;

public class SourceImageTests
{
    private static readonly VipsImageRenderer Renderer = RenderHarness.Create(new EncoderOptions());

    private static RenderContext Context() => new(new RenderLimits(), 1);

    [Theory]
    [InlineData("photo-3mp-flower.jpg", "t.resize(w:300)")] // the header, then the decode shrunk on load
    [InlineData("photo-3mp-flower.jpg", "t.rotate(a:30)~t.resize(w:120)")] // the header is the image, read out of order
    [InlineData("photo-3mp-flower.jpg", "t.flip()~t.toFormat(f:png)")] // streamed, unshrunk
    [InlineData("rose-lossy-alpha.webp", "t.resize(w:100)")] // WebP's scaled decode
    [InlineData("anim-2frames.gif", "t.resize(w:50)")] // every frame at once
    [InlineData("alpha-500-tulips.png", "t.extract(t:10,l:10,h:200,w:300)")]
    public void OneCopy_ServesTheEstimateAndEveryLoad_AsFreshCopiesWould(string sample, string pattern)
    {
        VipsTestRuntime.Ensure();
        var bytes = TestImages.Read(TestImages.Sample(sample));
        var plan = RenderHarness.Bind(pattern);
        var expected = Renderer.Render(bytes, plan, Context()).Bytes;

        using var source = new SourceImage(bytes);
        _ = Renderer.Estimate(source, plan, Context());
        var first = Renderer.Render(source, plan, Context()).Bytes;
        var again = Renderer.Render(source, plan, Context()).Bytes;

        Assert.Equal(expected, first);
        Assert.Equal(expected, again);
    }

    [Theory]
    [InlineData("photo-3mp-flower.jpg", true)]
    [InlineData("alpha-500-tulips.png", true)]
    [InlineData("rose-lossy-alpha.webp", true)]
    [InlineData("anim-2frames.gif", false)] // its frames are walked
    public void HasCheapHeader_OnlyForTheFormatsReadFromTheirFirstMarkers(string sample, bool cheap)
    {
        VipsTestRuntime.Ensure();
        using var source = new SourceImage(TestImages.Read(TestImages.Sample(sample)));

        Assert.Equal(cheap, source.HasCheapHeader);
    }

    [Fact]
    public void AnSvgHeader_IsNeverCheap_ItIsTheWholeDocument()
    {
        VipsTestRuntime.Ensure();
        using var source = new SourceImage("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"u8);

        Assert.NotNull(source.Loader);
        Assert.False(source.HasCheapHeader);
    }

    [Fact]
    public void Loader_IsTheOneLibvipsPicks_FoundOnce()
    {
        VipsTestRuntime.Ensure();
        var bytes = TestImages.Read(TestImages.Flower);

        using var source = new SourceImage(bytes);

        Assert.Equal(VipsLoader.FindLoader(bytes), source.Loader);
    }

    [Fact]
    public void BytesNoLoaderKnows_HaveNoLoader_AndAreRefusedAsUnsupported()
    {
        VipsTestRuntime.Ensure();

        using var source = new SourceImage("this is not an image"u8);

        Assert.Null(source.Loader);
        var estimate = Assert.Throws<CdnException>(() => Renderer.Estimate(source, RenderHarness.Bind("t.resize(w:10)"), Context()));
        var render = Assert.Throws<CdnException>(() => Renderer.Render(source, RenderHarness.Bind("t.resize(w:10)"), Context()));
        Assert.Equal(CdnErrorKind.UnsupportedFormat, estimate.Kind);
        Assert.Equal(CdnErrorKind.UnsupportedFormat, render.Kind);
    }
}
