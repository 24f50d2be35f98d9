using System.Diagnostics;
using CdnProxy.Core.Pipeline;

namespace CdnProxy.Core.Tests.Pipeline;

public class RenderGateTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Workers_Zero_IsProcessorCount()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 0 });

        Assert.Equal(Environment.ProcessorCount, gate.Workers);
    }

    [Fact]
    public void Workers_Configured_IsKept()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 3 });

        Assert.Equal(3, gate.Workers);
    }

    [Fact]
    public async Task RunAsync_ReturnsTheResultFromAnotherThread()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1 });

        Assert.Equal(42, await gate.RunAsync(() => 42, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_RenderThrows_Propagates()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1 });

        await Assert.ThrowsAsync<InvalidOperationException>(() => gate.RunAsync<int>(() => throw new InvalidOperationException(), CancellationToken.None));

        // The permit was returned.
        Assert.Equal(1, await gate.RunAsync(() => 1, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task RunAsync_WorkersBoundConcurrency()
    {
        const int workers = 2;
        using var gate = new RenderGate(new RenderGateOptions { Workers = workers, QueueLimit = 100 });
        using var release = new ManualResetEventSlim();
        using var twoRunning = new CountdownEvent(workers);
        var running = 0;
        var peak = 0;

        var renders = Enumerable.Range(0, 8).Select(_ => gate.RunAsync(
            () =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                twoRunning.Signal();
                release.Wait(Timeout);
                Interlocked.Decrement(ref running);
                return now;
            },
            CancellationToken.None)).ToList();

        Assert.True(twoRunning.Wait(Timeout));
        await Task.Delay(50);
        Assert.Equal(workers, Volatile.Read(ref running));

        // Let the first ones go; the others may only start as permits come back.
        twoRunning.Reset(6);
        release.Set();
        await Task.WhenAll(renders).WaitAsync(Timeout);

        Assert.Equal(workers, peak);
    }

    [Fact]
    public async Task RunAsync_QueueFull_ThrowsOverloadedQuickly()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1, QueueLimit = 1 });
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var ran = 0;

        var running = gate.RunAsync(
            () =>
            {
                started.Set();
                release.Wait(Timeout);
                return Interlocked.Increment(ref ran);
            },
            CancellationToken.None);
        Assert.True(started.Wait(Timeout));
        var queued = gate.RunAsync(() => Interlocked.Increment(ref ran), CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<CdnException>(() => gate.RunAsync(() => Interlocked.Increment(ref ran), CancellationToken.None));
        clock.Stop();

        Assert.Equal(CdnErrorKind.Overloaded, e.Kind);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"Refusal took {clock.Elapsed}");
        Assert.False(queued.IsCompleted);

        release.Set();
        await Task.WhenAll(running, queued).WaitAsync(Timeout);
        Assert.Equal(2, ran);
    }

    [Fact]
    public async Task RunAsync_QueueLimitZero_RefusesWhenAllWorkersBusy()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1, QueueLimit = 0 });
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();

        var running = gate.RunAsync(
            () =>
            {
                started.Set();
                return release.Wait(Timeout);
            },
            CancellationToken.None);
        Assert.True(started.Wait(Timeout));

        var e = await Assert.ThrowsAsync<CdnException>(() => gate.RunAsync(() => true, CancellationToken.None));

        Assert.Equal(CdnErrorKind.Overloaded, e.Kind);
        release.Set();
        Assert.True(await running.WaitAsync(Timeout));
        Assert.True(await gate.RunAsync(() => true, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task RunAsync_CancelledWhileQueued_ThrowsAndFreesTheSlot()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1, QueueLimit = 1 });
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        using var cancel = new CancellationTokenSource();

        var running = gate.RunAsync(
            () =>
            {
                started.Set();
                return release.Wait(Timeout);
            },
            CancellationToken.None);
        Assert.True(started.Wait(Timeout));
        var queued = gate.RunAsync(() => true, cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(Timeout));

        var next = gate.RunAsync(() => true, CancellationToken.None);
        release.Set();
        Assert.True(await next.WaitAsync(Timeout));
        Assert.True(await running.WaitAsync(Timeout));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
