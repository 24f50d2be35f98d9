using CdnProxy.Core.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Rendering;

public class RenderMemoryBudgetTests
{
    [Fact]
    public void Reserve_WithinTheBudget_HoldsUntilReleased()
    {
        var budget = new RenderMemoryBudget(100);

        using (budget.Reserve(60))
        {
            Assert.Equal(60, budget.InUseBytes);
            var busy = Assert.Throws<CdnException>(() => budget.Reserve(50));
            Assert.Equal(CdnErrorKind.Overloaded, busy.Kind);
        }

        Assert.Equal(0, budget.InUseBytes);
        using var again = budget.Reserve(100);
        Assert.Equal(100, budget.InUseBytes);
    }

    [Fact]
    public void Reserve_MoreThanTheWholeBudget_IsALimitNotABusyServer()
    {
        var budget = new RenderMemoryBudget(100);

        var e = Assert.Throws<CdnException>(() => budget.Reserve(101));

        Assert.Equal(CdnErrorKind.LimitExceeded, e.Kind);
        Assert.Equal(0, budget.InUseBytes);
    }

    [Fact]
    public void Reserve_ReleasedTwice_ReturnsItsBytesOnce()
    {
        var budget = new RenderMemoryBudget(100);
        var first = budget.Reserve(40);
        using var second = budget.Reserve(40);

        first.Dispose();
        first.Dispose();

        Assert.Equal(40, budget.InUseBytes);
    }

    [Fact]
    public void Reserve_NoBudget_AdmitsEverything()
    {
        var budget = new RenderMemoryBudget(0);

        using var huge = budget.Reserve(long.MaxValue / 2);

        Assert.Equal(0, budget.InUseBytes);
    }

    [Fact]
    public void Render_WhenRendersInFlightHoldTheBudget_IsRefusedWithOverloaded()
    {
        var budget = new RenderMemoryBudget(64L * 1024 * 1024);
        var renderer = new VipsImageRenderer(new ImageEncoder(new EncoderOptions(), RenderHarness.Capabilities), TimeProvider.System, budget);
        var flower = TestImages.Read(TestImages.Flower);

        Assert.Equal(300, RenderHarness.Render(renderer, flower, "t.resize(w:300)").Width);
        using (budget.Reserve(60L * 1024 * 1024))
        {
            var e = Assert.Throws<CdnException>(() => RenderHarness.Render(renderer, flower, "t.resize(w:300)"));
            Assert.Equal(CdnErrorKind.Overloaded, e.Kind);
        }

        Assert.Equal(0, budget.InUseBytes);
    }
}
