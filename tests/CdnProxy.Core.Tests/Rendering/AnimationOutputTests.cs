using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Tests.Rendering;

/// <summary>Which format an animated source is encoded in, the f_auto buckets, and the clamp over all frames.</summary>
public sealed class AnimationOutputTests
{
    [Theory]
    [InlineData(OutputFormat.Source, null, OutputFormat.Gif, 2, OutputFormat.Gif, true)]
    [InlineData(OutputFormat.Webp, null, OutputFormat.Gif, 2, OutputFormat.Webp, true)]
    [InlineData(OutputFormat.Jpeg, null, OutputFormat.Gif, 2, OutputFormat.Jpeg, false)]
    [InlineData(OutputFormat.Avif, null, OutputFormat.Webp, 2, OutputFormat.Avif, false)]
    [InlineData(OutputFormat.Avif, OutputFormat.Webp, OutputFormat.Gif, 2, OutputFormat.Webp, true)]
    [InlineData(OutputFormat.Avif, OutputFormat.Source, OutputFormat.Gif, 2, OutputFormat.Gif, true)]
    [InlineData(OutputFormat.Avif, OutputFormat.Webp, OutputFormat.Gif, 1, OutputFormat.Avif, false)]
    [InlineData(OutputFormat.Source, null, OutputFormat.Tiff, 3, OutputFormat.Tiff, false)]
    [InlineData(OutputFormat.Gif, null, OutputFormat.Tiff, 3, OutputFormat.Gif, false)]
    public void ChooseOutput(OutputFormat asked, OutputFormat? animatedFormat, OutputFormat source, int pages, OutputFormat expected, bool animate)
    {
        var output = new OutputSettings(asked, null) { AnimatedFormat = animatedFormat };

        Assert.Equal((expected, animate), Animation.ChooseOutput(output, source, pages));
    }

    [Theory]
    [InlineData("image/avif,image/webp,*/*", "avif:default:animated=webp")]
    [InlineData("image/avif,*/*", "avif:default:animated=source")]
    [InlineData("image/webp,*/*", "webp:default")]
    [InlineData("*/*", "source:default")]
    [InlineData("text/junk;q=0.2, image/avif;q=0, image/webp", "webp:default")]
    public void AutoFormat_BucketsStayFew(string accept, string canonical)
    {
        var plan = new RenderPlan([], OutputSettings.SameAsSource, "original");

        var (negotiated, varies) = FormatNegotiator.Negotiate(plan, formatAuto: true, accept);

        Assert.True(varies);
        Assert.Equal(canonical, negotiated.Output.ToCanonicalString());
    }

    [Theory]
    [InlineData(1000, 500, 1, 1.0)]
    [InlineData(1000, 500, 100, 1.0)]
    [InlineData(1000, 1000, 200, 0.707)]
    [InlineData(20000, 100, 2, 0.5)]
    public void OutputScale_HoldsPerFrameAndOverAllFrames(int width, int height, int frames, double expected)
    {
        Assert.Equal(expected, new RenderLimits().OutputScale(width, height, frames), precision: 3);
    }
}
