using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;
using CdnProxy.Core.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Rendering;

/// <summary>Animated GIF and WebP sources through the real renderer: frames, delays and loop kept, each frame transformed alone.</summary>
[Trait("Requires", "libvips")]
public sealed class AnimationRenderTests
{
    private static readonly byte[] Gif = TestImages.Read(TestImages.Sample("anim-2frames.gif"));
    private static readonly byte[] Webp = TestImages.Read(TestImages.Asset("derived/anim-2frames-350.webp"));

    // The WebP's frames are opaque RGBA: negating alone would make both frames fully transparent, and the WebP
    // encoder merges identical frames, so t.negate() runs after t.flatten() here.
    public static TheoryData<string> EveryOperation => new()
    {
        "t.resize(w:200)", "t.resize(w:300,h:100,f:contain)", "t.flip()", "t.flop()", "t.rotate(a:90)", "t.rotate(a:30)",
        "t.extract(t:10,l:20,h:40,w:100)", "t.extend(t:5,b:7,bt:reflect)", "t.trim()", "t.flatten()", "t.sharpen()",
        "t.median()", "t.blur(s:2)", "t.flatten()~t.negate()", "t.normalise()", "t.linear(a:1.2,b:-10)", "t.grey()",
        "t.modulate(b:1.2)", "t.tint(c:ff0000)", "t.density(d:72)", "t.compress(q:50)", "t.toFormat(f:webp)",
    };

    [Fact]
    public void Gif_Flipped_FlipsEveryFrameInPlace()
    {
        using var source = ImageProbe.OpenAllFrames(Gif);
        using var flipped = ImageProbe.OpenAllFrames(RenderHarness.Render(Gif, "t.flip()").Bytes);

        AssertSameAnimation(source, flipped, frameWidth: 700, frameHeight: 175);
        var h = source.PageHeight;
        Assert.True(FrameDifference(source, flipped, (f, x, y) => (f, x, h - 1 - y)) < 3, "each frame mirrored top to bottom");

        // Flipping the whole strip instead would also swap the frames: the frames differ, so that would show.
        Assert.True(FrameDifference(source, flipped, (f, x, y) => (1 - f, x, h - 1 - y)) > 10, "frames stay in order");
    }

    [Theory]
    [InlineData("gif", 350, 88, new[] { 1000, 1000 }, 0, "image/gif", 3)]
    [InlineData("webp", 175, 44, new[] { 300, 700 }, 3, "image/webp", 6)]
    public void ResizedAndFlipped_KeepsFramesDelaysAndLoop(string source, int width, int height, int[] delays, int loop, string contentType, double tolerance)
    {
        var bytes = source == "gif" ? Gif : Webp;
        using var resized = ImageProbe.OpenAllFrames(RenderHarness.Render(bytes, $"t.resize(w:{width})").Bytes);
        var rendered = RenderHarness.Render(bytes, $"t.resize(w:{width})~t.flip()");
        using var both = ImageProbe.OpenAllFrames(rendered.Bytes);

        Assert.Equal(contentType, rendered.ContentType);
        AssertSameAnimation(resized, both, width, height);
        Assert.Equal(delays, both.Delays);
        Assert.Equal(loop, both.Loop);
        var h = both.PageHeight;
        Assert.True(FrameDifference(resized, both, (f, x, y) => (f, x, h - 1 - y)) < tolerance, "each frame mirrored top to bottom");
        Assert.True(FrameDifference(resized, both, (f, x, y) => (1 - f, x, h - 1 - y)) > 10, "frames stay in order");
    }

    [Fact]
    public void Gif_Merged_PutsTheSameLayerOnEveryFrame()
    {
        // A 40 × 30 grey (200) PNG at the top-left corner of both frames, merged onto each frame in place.
        var grey = RenderHarness.Render(Gif, "t.extract(t:0,l:0,h:30,w:40)~t.flatten()~t.linear(a:0,b:200)~t.toFormat(f:png)").Bytes;
        var rendered = RenderHarness.Render(Gif, "t.merge(i:Z3JleQ,g:northwest)", new Dictionary<string, byte[]> { ["grey"] = grey });

        using var source = ImageProbe.OpenAllFrames(Gif);
        using var merged = ImageProbe.OpenAllFrames(rendered.Bytes);
        AssertSameAnimation(source, merged, frameWidth: 700, frameHeight: 175);
        foreach (var frame in new[] { 0, 1 })
        {
            Assert.All(merged.FramePixel(frame, 20, 15).Take(3), band => Assert.InRange(band, 190, 210));
            var outside = merged.FramePixel(frame, 600, 150).Take(3).Zip(source.FramePixel(frame, 600, 150), (a, b) => Math.Abs(a - b));
            Assert.All(outside, difference => Assert.True(difference < 8, "the rest of each frame is unchanged"));
        }
    }

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public void EveryOperation_KeepsTheAnimation(string pattern)
    {
        using var output = ImageProbe.OpenAllFrames(RenderHarness.Render(Webp, pattern).Bytes);

        Assert.Equal(2, output.FramesDecoded);
        Assert.Equal([300, 700], output.Delays);
        Assert.Equal(3, output.Loop);
    }

    [Theory]
    [InlineData("jpeg", "image/jpeg")]
    [InlineData("avif", "image/avif")]
    [InlineData("png", "image/png")]
    public void StillFormat_GetsTheFirstFrame(string format, string contentType)
    {
        using var animated = ImageProbe.OpenAllFrames(RenderHarness.Render(Gif, "t.resize(w:350)~t.toFormat(f:png)~t.toFormat(f:gif)").Bytes);
        var rendered = RenderHarness.Render(Gif, $"t.resize(w:350)~t.toFormat(f:{format})");
        using var still = ImageProbe.OpenAllFrames(rendered.Bytes);

        Assert.Equal(contentType, rendered.ContentType);
        Assert.Equal((350, 88, 1), (still.Width, still.Height, still.FramesDecoded));
        var tolerance = format == "png" ? 3 : 8;
        Assert.True(FrameDifference(animated, still, (f, x, y) => (0, x, y), frames: 1) < tolerance, "the first frame");
        Assert.True(FrameDifference(animated, still, (f, x, y) => (1, x, y), frames: 1) > tolerance, "not the second");
    }

    [Fact]
    public void AutoAvif_AnimatedSourceBecomesAnimatedWebp_StillSourceStaysAvif()
    {
        var (plan, _) = FormatNegotiator.Negotiate(RenderHarness.Bind("t.resize(w:350)"), formatAuto: true, "image/avif,image/webp,*/*");

        var animated = Render(Gif, plan);
        using var frames = ImageProbe.OpenAllFrames(animated.Bytes);
        var still = Render(TestImages.Read(TestImages.Flower), plan);

        Assert.Equal("image/webp", animated.ContentType);
        Assert.Equal(2, frames.FramesDecoded);
        Assert.Equal("image/avif", still.ContentType);
    }

    [Theory]
    [InlineData(1, 100_000_000, "2 frames")]
    [InlineData(100, 200_000, "0.2 MP")]
    public void OverTheFrameCap_IsRefusedBeforeDecoding_UnlessTheOutputIsStill(int maxFrames, long maxPixels, string named)
    {
        var limits = new RenderLimits { MaxFrames = maxFrames, MaxAnimationPixels = maxPixels };

        var error = Assert.Throws<CdnException>(() => RenderHarness.Render(Gif, "t.flip()", limits));
        Assert.Equal(CdnErrorKind.LimitExceeded, error.Kind);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);

        using var first = ImageProbe.Open(RenderHarness.Render(Gif, "t.flip()~t.toFormat(f:jpeg)", limits).Bytes);
        Assert.Equal(175, first.Height);
    }

    [Fact]
    public void GrowingAnimation_IsClampedOverAllFrames()
    {
        var limits = new RenderLimits { MaxAnimationPixels = 500_000 };

        using var output = ImageProbe.OpenAllFrames(RenderHarness.Render(Gif, "t.resize(w:1400)", limits).Bytes);

        Assert.Equal(2, output.FramesDecoded);
        Assert.InRange((long)output.Width * output.Height, 450_000, 500_000);
        Assert.InRange(output.Width / (double)output.PageHeight, 3.9, 4.1);
    }

    [Fact]
    public void Trim_CutsEveryFrameToOneBox()
    {
        using var output = ImageProbe.OpenAllFrames(RenderHarness.Render(Gif, "t.extend(t:20,l:20,b:20,r:20,bc:ffffff)~t.trim()").Bytes);

        Assert.Equal(2, output.FramesDecoded);
        Assert.Equal((700, 175), (output.Width, output.PageHeight));
    }

    [Fact]
    public void FetchedAnimation_56Frames_KeepsEveryFrameAndDelay()
    {
        var path = TestImages.Fetched("anim-56frames-transparent.gif");
        if (path is null)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "anim-56frames-transparent.gif missing: run scripts/setup.sh --for-tests");
            return;
        }

        var bytes = TestImages.Read(path);
        using var source = ImageProbe.OpenAllFrames(bytes);
        using var output = ImageProbe.OpenAllFrames(RenderHarness.Render(bytes, "t.resize(w:175)~t.flip()").Bytes);

        Assert.Equal(56, output.FramesDecoded);
        Assert.Equal((175, 95), (output.Width, output.PageHeight));
        Assert.Equal(source.Delays, output.Delays);
        Assert.True(output.HasAlpha);
    }

    private static RenderedImage Render(byte[] source, RenderPlan plan)
    {
        return RenderHarness.Create(new EncoderOptions())
            .Render(source, plan, new RenderContext(new RenderLimits(), 1));
    }

    private static void AssertSameAnimation(ImageProbe expected, ImageProbe actual, int frameWidth, int frameHeight)
    {
        Assert.Equal(2, expected.FramesDecoded);
        Assert.Equal(2, actual.FramesDecoded);
        Assert.Equal((frameWidth, frameHeight), (actual.Width, actual.PageHeight));
        Assert.Equal(expected.Delays, actual.Delays);
        Assert.Equal(expected.Loop, actual.Loop);
    }

    /// <summary>
    /// Mean absolute difference (colour bands, 0–255) between <paramref name="actual"/>'s frames and the pixels of
    /// <paramref name="expected"/> that <paramref name="map"/> says they should show, on a 24 × 12 grid per frame.
    /// </summary>
    private static double FrameDifference(ImageProbe expected, ImageProbe actual, Func<int, int, int, (int Frame, int X, int Y)> map, int frames = 2)
    {
        double total = 0;
        var count = 0;
        for (var frame = 0; frame < frames; frame++)
        {
            for (var gy = 0; gy < 12; gy++)
            {
                for (var gx = 0; gx < 24; gx++)
                {
                    var x = (int)((gx + 0.5) * actual.Width / 24);
                    var y = (int)((gy + 0.5) * actual.PageHeight / 12);
                    var (sf, sx, sy) = map(frame, x, y);
                    var a = actual.FramePixel(frame, x, y);
                    var e = expected.FramePixel(sf, sx, sy);
                    for (var band = 0; band < 3; band++)
                    {
                        total += Math.Abs(a[band] - e[band]);
                        count++;
                    }
                }
            }
        }

        return total / count;
    }
}
