using CdnProxy.Core.Caching;

namespace CdnProxy.Core.Tests.Caching;

public class KeyedSingleFlightTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_ConcurrentCallersForOneKey_ShareOneRun()
    {
        var flight = new KeyedSingleFlight<int>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;

        var callers = Enumerable.Range(0, 20)
            .Select(_ => flight.RunAsync(
                "k",
                async () =>
                {
                    Interlocked.Increment(ref runs);
                    await release.Task;
                    return 42;
                },
                CancellationToken.None))
            .ToList();
        release.SetResult();
        var results = await Task.WhenAll(callers).WaitAsync(Timeout);

        Assert.Equal(1, runs);
        Assert.All(results, r => Assert.Equal(42, r));
    }

    [Fact]
    public async Task RunAsync_Failure_PropagatesToAllAndIsNotRemembered()
    {
        var flight = new KeyedSingleFlight<int>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;

        var callers = Enumerable.Range(0, 5)
            .Select(_ => flight.RunAsync(
                "k",
                async () =>
                {
                    Interlocked.Increment(ref runs);
                    await release.Task;
                    throw new InvalidOperationException("boom");
                },
                CancellationToken.None))
            .ToList();
        release.SetResult();

        foreach (var caller in callers)
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => caller.WaitAsync(Timeout));
            Assert.Equal("boom", e.Message);
        }

        Assert.Equal(1, runs);
        Assert.Equal(7, await flight.RunAsync("k", () => Task.FromResult(7), CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task RunAsync_Success_IsNotRemembered()
    {
        var flight = new KeyedSingleFlight<int>();
        var runs = 0;

        for (var i = 1; i <= 3; i++)
        {
            var result = await flight.RunAsync("k", () => Task.FromResult(Interlocked.Increment(ref runs)), CancellationToken.None);
            Assert.Equal(i, result);
        }
    }

    [Fact]
    public async Task RunAsync_SynchronousThrow_PropagatesAndIsNotRemembered()
    {
        var flight = new KeyedSingleFlight<int>();

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => flight.RunAsync("k", () => throw new InvalidOperationException(), CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(1, await flight.RunAsync("k", () => Task.FromResult(1), CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task RunAsync_DifferentKeys_RunIndependently()
    {
        var flight = new KeyedSingleFlight<string>();
        var aStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseA = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var a = flight.RunAsync(
            "a",
            async () =>
            {
                aStarted.SetResult();
                await releaseA.Task;
                return "a";
            },
            CancellationToken.None);
        await aStarted.Task.WaitAsync(Timeout);

        // b completes while a is still blocked: it neither joins nor waits for a.
        Assert.Equal("b", await flight.RunAsync("b", () => Task.FromResult("b"), CancellationToken.None).WaitAsync(Timeout));
        Assert.False(a.IsCompleted);

        releaseA.SetResult();
        Assert.Equal("a", await a.WaitAsync(Timeout));
    }

    [Fact]
    public async Task RunAsync_WaiterCancelled_SharedWorkContinuesForOthers()
    {
        var flight = new KeyedSingleFlight<int>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        Func<Task<int>> work = async () =>
        {
            Interlocked.Increment(ref runs);
            started.TrySetResult();
            await release.Task;
            return 5;
        };
        using var cancel = new CancellationTokenSource();

        var quitter = flight.RunAsync("k", work, cancel.Token);
        var stayer = flight.RunAsync("k", work, CancellationToken.None);
        await started.Task.WaitAsync(Timeout);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quitter.WaitAsync(Timeout));
        Assert.False(stayer.IsCompleted);

        release.SetResult();
        Assert.Equal(5, await stayer.WaitAsync(Timeout));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task RunAsync_OnlyWaiterCancelled_WorkStillRunsToCompletion()
    {
        var flight = new KeyedSingleFlight<int>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();

        var caller = flight.RunAsync(
            "k",
            async () =>
            {
                await release.Task;
                finished.SetResult();
                return 1;
            },
            cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => caller.WaitAsync(Timeout));

        release.SetResult();
        await finished.Task.WaitAsync(Timeout);
    }
}
