using CdnProxy.Core.Rendering;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Tests.Common;
using CdnProxy.Vips;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Core.Tests.Transformations;

public class RenderDeadlineTests
{
    [Fact]
    public void Render_PastItsDeadline_IsStoppedInsideLibvips_AsARenderTimeout()
    {
        // About a second of work on the 3 MP photo, well inside its 10 s: the estimate lets it start. Then the clock
        // jumps past the deadline while it runs, and the watchdog stops it inside libvips.
        var time = new FakeTimeProvider();
        using var watchdog = new RenderWatchdog();
        var renderer = new VipsImageRenderer(
            new ImageEncoder(new EncoderOptions(), RenderHarness.Capabilities), time, timeout: TimeSpan.FromSeconds(10), watchdog: watchdog);
        var flower = TestImages.Read(TestImages.Flower);
        // Jumps again every 50 ms: a single jump could land before the render had started its clock (a busy CI box
        // took that long to get there), and the deadline would then never pass. On a thread of its own: a timer's
        // callbacks wait for a pool thread, and on a CI box whose pool was busy with other tests none came for the
        // whole render.
        using var stop = new ManualResetEventSlim();
        var jumper = new Thread(() =>
        {
            do
            {
                time.Advance(TimeSpan.FromSeconds(20));
            }
            while (!stop.Wait(50));
        }) { IsBackground = true, Name = "clock-jumper" };
        jumper.Start();

        CdnException e;
        try
        {
            e = Assert.Throws<CdnException>(() => RenderHarness.Render(renderer, flower, "t.blur(s:100)~t.median(s:10)~t.toFormat(f:png)"));
        }
        finally
        {
            stop.Set();
            jumper.Join();
        }

        Assert.Equal(CdnErrorKind.RenderTimeout, e.Kind);
        Assert.Equal(0, watchdog.Count);
    }

    [Fact]
    public void Render_EstimatedFarPastItsDeadline_IsRefusedBeforeDecoding()
    {
        // Three 10×10 medians on 3.4 MP: ~2 s of estimated work against a 1-s deadline.
        using var watchdog = new RenderWatchdog();
        var renderer = new VipsImageRenderer(
            new ImageEncoder(new EncoderOptions(), RenderHarness.Capabilities), TimeProvider.System, timeout: TimeSpan.FromSeconds(1), watchdog: watchdog);
        var flower = TestImages.Read(TestImages.Flower);

        var e = Assert.Throws<CdnException>(() => RenderHarness.Render(renderer, flower, "t.median(s:10)~t.median(s:10)~t.median(s:10)"));

        Assert.Equal(CdnErrorKind.LimitExceeded, e.Kind);
        Assert.Contains("more than this server gives one image (1 s)", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, watchdog.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // libvips does not pass the kill link on to a copy in memory: RenderDeadline.InMemory watches it
    public void Watch_KillsEveryImageBuiltFromTheSource_WhenTheTimeIsUp(bool throughAComputedCopy)
    {
        VipsTestRuntime.Ensure();
        var time = new FakeTimeProvider();
        using var watchdog = new RenderWatchdog();
        using var deadline = new RenderDeadline(TimeSpan.FromSeconds(10), time, watchdog);
        var flower = TestImages.Read(TestImages.Flower);
        using var source = VipsLoader.Load(VipsLoader.FindLoader(flower)!, flower);
        deadline.Watch(source);
        using var first = source.Gaussblur(3);
        using var computed = throughAComputedCopy ? RenderDeadline.InMemory(first, deadline) : null;
        using var blurred = computed?.Gaussblur(3) ?? first.Copy();

        time.Advance(TimeSpan.FromSeconds(10));
        deadline.KillIfDue(); // what the watchdog does on its next round

        Assert.True(deadline.Expired);
        Assert.Throws<NetVips.VipsException>(() => blurred.SaveToBuffer("pngsave_buffer"));
        Assert.Equal(CdnErrorKind.RenderTimeout, Assert.Throws<CdnException>(deadline.ThrowIfExpired).Kind);
    }

    [Fact]
    public void Watch_BeforeTheDeadline_ChangesNothing()
    {
        VipsTestRuntime.Ensure();
        var time = new FakeTimeProvider();
        using var deadline = new RenderDeadline(TimeSpan.FromSeconds(10), time, watchdog: null);
        using var black = VipsImage.Black(64, 64);
        deadline.Watch(black);
        using var inverted = black.Invert();

        time.Advance(TimeSpan.FromSeconds(9));
        deadline.KillIfDue();

        Assert.False(deadline.Expired);
        Assert.NotEmpty(inverted.SaveToBuffer("pngsave_buffer"));
        deadline.ThrowIfExpired();
    }
}
