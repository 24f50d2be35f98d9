using CdnProxy.Vips;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Rendering;

public class RenderCostTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower); // 2268×1512

    [Fact]
    public void Plan_RotationOfAClampedUpscale_IsRefusedNamingTheRotation()
    {
        // dpr 5 asks for 40000 px; the resize clamps to 40 MP (7746×5164) as Pixelbin does, and rotating that by
        // 45° needs a 9128² canvas (83 MP): refused from the header, before any decoding.
        var e = Assert.Throws<CdnException>(() => RenderHarness.Render(Flower, "t.resize(w:8000)~t.rotate(a:45)", dpr: 5));

        Assert.Equal(CdnErrorKind.LimitExceeded, e.Kind);
        Assert.StartsWith("t.rotate would make the image 91", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_Work_AddsTheDecoderEachStepAndTheEncoder()
    {
        var context = new RenderContext(new RenderLimits(), 1);
        SourceOpening Opening(OutputFormat format) => new("VipsForeignLoadJpegBuffer", new ImageSize(2000, 1000), 3, 1,
            format, Frames: 1, Shrink: 1, Sequential: true, Turns: false);
        TimeSpan Work(string pattern, OutputFormat format = OutputFormat.Jpeg) =>
            RenderCost.Plan(Opening(format), RenderHarness.Bind(pattern), context, []).Work;

        // 2 MP: decode 10 ns + encode 10 ns a pixel, each median (s = 3) 120 ns, each flip 10 ns.
        Assert.Equal(TimeSpan.FromMilliseconds(40), Work("original"));
        Assert.Equal(TimeSpan.FromMilliseconds(40 + (3 * 240)), Work("t.median(s:3)~t.median(s:3)~t.median(s:3)"));
        Assert.Equal(TimeSpan.FromMilliseconds(40 + 20), Work("t.flip()"));
        Assert.Equal(TimeSpan.FromMilliseconds(20 + 140), Work("original", OutputFormat.Webp));
    }

    [Fact]
    public void Plan_Work_OfAResizeShrunkOnLoad_CountsTheShrunkDecode()
    {
        var context = new RenderContext(new RenderLimits(), 1);
        var opening = new SourceOpening("VipsForeignLoadJpegBuffer", new ImageSize(4000, 2000), 3, 1,
            OutputFormat.Jpeg, Frames: 1, Shrink: 4, Sequential: true, Turns: false);

        var work = RenderCost.Plan(opening, RenderHarness.Bind("t.resize(w:400)"), context, []).Work;

        // Decoded at a quarter (1000×500): 5 ms to decode, 12.5 ms to resample; 400×200 to encode, 0.8 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(5 + 12.5 + 0.8), work);
    }

    [Fact]
    public void Plan_StackedWideWindows_CountTwoComputedInputsAtMost()
    {
        var context = new RenderContext(new RenderLimits(), 1);
        SourceOpening Opening() => new("VipsForeignLoadJpegBuffer", new ImageSize(4000, 3000), 3, 1,
            OutputFormat.Jpeg, Frames: 1, Shrink: 1, Sequential: true, Turns: false);

        var one = RenderCost.Plan(Opening(), RenderHarness.Bind("t.blur(s:50)"), context, []).MemoryBytes;
        var two = RenderCost.Plan(Opening(), RenderHarness.Bind("t.blur(s:50)~t.blur(s:50)"), context, []).MemoryBytes;
        var five = RenderCost.Plan(Opening(), RenderHarness.Bind(string.Join('~', Enumerable.Repeat("t.blur(s:50)", 5))), context, []).MemoryBytes;

        // The second blur reads the first one's result computed in memory; each later copy frees the one before it.
        Assert.Equal(4000L * 3000 * 4, two - one);
        Assert.Equal(2 * 4000L * 3000 * 4, five - one);
    }

    [Theory]
    [InlineData("t.resize(w:9900)~t.extend(l:100,r:100)", "t.extend")]
    [InlineData("t.extract(t:0,l:0,w:10001,h:10)", "t.extract")]
    [InlineData("t.resize(w:9000,h:4400,f:fill)~t.rotate(a:90)~t.rotate(a:30)", "t.rotate")]
    public void Plan_AStepOverTheOutputLimit_IsRefusedNamingIt(string pattern, string step)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Render(Flower, pattern));

        Assert.Equal(CdnErrorKind.LimitExceeded, e.Kind);
        Assert.StartsWith(step + " would make the image", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ResizeOverTheLimit_IsClampedNotRefused()
    {
        var rendered = RenderHarness.Render(Flower, "t.resize(w:100000)~t.toFormat(f:jpeg,q:10)");

        // 10000 px a side would still be 66.7 MP: clamped on to the 40 MP limit, rounding down.
        Assert.Equal((7745, 5163), (rendered.Width, rendered.Height));
    }

    [Fact]
    public void Plan_SizesFollowEachStep()
    {
        var opening = new SourceOpening("VipsForeignLoadJpegBuffer", new ImageSize(2268, 1512), 3, 1,
            OutputFormat.Jpeg, Frames: 1, Shrink: 4, Sequential: true, Turns: false);
        var plan = RenderHarness.Bind("t.resize(w:300)~t.extend(t:5,l:5,b:5,r:5)~t.rotate(a:90)");

        var cost = RenderCost.Plan(opening, plan, new RenderContext(new RenderLimits(), 1), []);

        Assert.Equal(new ImageSize(210, 310), cost.Output);
    }

    [Fact]
    public void Plan_StreamedDecode_CostsAStripNotTheWholeImage()
    {
        var context = new RenderContext(new RenderLimits(), 1);
        var plan = RenderHarness.Bind("t.resize(w:1200)");
        SourceOpening Opening(bool sequential) => new("VipsForeignLoadJpegBuffer", new ImageSize(5312, 2988), 3, 1,
            OutputFormat.Jpeg, Frames: 1, Shrink: 4, Sequential: sequential, Turns: false);

        var streamed = RenderCost.Plan(Opening(sequential: true), plan, context, []).MemoryBytes;
        var whole = RenderCost.Plan(Opening(sequential: false), plan, context, []).MemoryBytes;

        // Decoded at a quarter: 1328×747×3 bytes whole, 256 rows of it streamed.
        Assert.Equal((1328L * 747 * 3) - (1328L * 256 * 3), whole - streamed);
    }

    [Fact]
    public void Plan_OutOfOrderStepAfterLazyWork_CountsTheComputedInput()
    {
        var context = new RenderContext(new RenderLimits(), 1);
        SourceOpening Opening() => new("VipsForeignLoadJpegBuffer", new ImageSize(4000, 3000), 3, 1,
            OutputFormat.Jpeg, Frames: 1, Shrink: 1, Sequential: false, Turns: false);

        var direct = RenderCost.Plan(Opening(), RenderHarness.Bind("t.rotate(a:30)"), context, []).MemoryBytes;
        var afterBlur = RenderCost.Plan(Opening(), RenderHarness.Bind("t.blur(s:2)~t.rotate(a:30)"), context, []).MemoryBytes;

        Assert.Equal(4000L * 3000 * 4, afterBlur - direct);
    }

    [Theory]
    [InlineData("t.resize(w:3000)~t.toFormat(f:gif)", "GIF output is limited to 4 MP a frame")]
    [InlineData("t.resize(w:6000)~t.toFormat(f:avif)", "AVIF output is limited to 16 MP")]
    public void Plan_EncodersTheDeadlineCannotStop_AreCapped(string pattern, string message)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Render(Flower, pattern));

        Assert.Equal(CdnErrorKind.LimitExceeded, e.Kind);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ProgressiveJpeg_IsDecodedWhole_AndCountsItsCoefficients()
    {
        var bytes = TestImages.Read(Path.Combine(TestImages.RepositoryRoot, "bench", "images", "photo-16mp-seeding.jpg"));
        var loader = VipsLoader.FindLoader(bytes)!;
        using var header = VipsLoader.Load(loader, bytes);

        var opening = SourceOpening.Decide(header, loader, RenderHarness.Bind("t.resize(w:600)"), new RenderContext(new RenderLimits(), 1));

        Assert.False(opening.Sequential);
        Assert.Equal(8, opening.Shrink);
        Assert.Equal(5312L * 2988 * 3, opening.DecoderBytes); // 4:2:0: 1.5 coefficients a pixel, 2 bytes each
    }
}
