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
        // A blur this wide takes seconds on the 3 MP photo; 1 ms of it is all the render is given.
        using var watchdog = new RenderWatchdog();
        var renderer = new VipsImageRenderer(
            new ImageEncoder(new EncoderOptions(), RenderHarness.Capabilities), TimeProvider.System, timeout: TimeSpan.FromMilliseconds(1), watchdog: watchdog);
        var flower = TestImages.Read(TestImages.Flower);

        var e = Assert.Throws<CdnException>(() => RenderHarness.Render(renderer, flower, "t.blur(s:100)~t.toFormat(f:png)"));

        Assert.Equal(CdnErrorKind.RenderTimeout, e.Kind);
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
