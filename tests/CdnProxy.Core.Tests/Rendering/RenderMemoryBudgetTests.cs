using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Rendering;

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
    public async Task Gate_WhenRendersInFlightHoldTheBudget_RefusesAtOnce_AndReturnsTheBytesWhenTheyEnd()
    {
        var budget = new RenderMemoryBudget(100);
        using var gate = new RenderGate(new RenderGateOptions { Workers = 2 }, budget: budget);
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();

        var running = gate.RunAsync(
            () =>
            {
                started.Set();
                return release.Wait(TimeSpan.FromSeconds(30));
            },
            CancellationToken.None,
            memoryBytes: 70);
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));

        var busy = Assert.Throws<CdnException>(() => { _ = gate.RunAsync(() => true, CancellationToken.None, memoryBytes: 40); });
        var tooBig = Assert.Throws<CdnException>(() => { _ = gate.RunAsync(() => true, CancellationToken.None, memoryBytes: 101); });
        Assert.Equal((CdnErrorKind.Overloaded, CdnErrorKind.LimitExceeded), (busy.Kind, tooBig.Kind));
        Assert.Equal(70, budget.InUseBytes);

        release.Set();
        Assert.True(await running.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(await gate.RunAsync(() => true, CancellationToken.None, memoryBytes: 100).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, budget.InUseBytes);
    }
}
