using Microsoft.Extensions.Time.Testing;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Rendering;

namespace CdnProxy.Core.Tests.Pipeline;

public class RenderGateTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Workers_Zero_IsTheProcessorCountPlusOne_HalfOfThemRoundedUpForHeavyRenders()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 0 });

        Assert.Equal(Environment.ProcessorCount + 1, gate.Workers);
        Assert.Equal((Environment.ProcessorCount + 2) / 2, gate.HeavyWorkers);
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
        Assert.Equal(workers, gate.Running);
        Assert.Equal(6, gate.Queued);

        // Let the first ones go; the others may only start as permits come back.
        twoRunning.Reset(6);
        release.Set();
        await Task.WhenAll(renders).WaitAsync(Timeout);

        Assert.Equal(workers, peak);
    }

    [Fact]
    public async Task RunAsync_QueueFull_IsRefusedAtOnce_WithoutWaiting()
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

        // Refused synchronously: the caller never gets a task to wait on.
        var e = Assert.Throws<CdnException>(() => { _ = gate.RunAsync(() => Interlocked.Increment(ref ran), CancellationToken.None); });

        Assert.Equal(CdnErrorKind.Overloaded, e.Kind);
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
        var running = OccupyTheWorker(gate, release);

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
        using var cancel = new CancellationTokenSource();
        var running = OccupyTheWorker(gate, release);
        var queued = gate.RunAsync(() => true, cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(Timeout));

        var next = gate.RunAsync(() => true, CancellationToken.None);
        release.Set();
        Assert.True(await next.WaitAsync(Timeout));
        Assert.True(await running.WaitAsync(Timeout));
    }

    [Fact]
    public async Task RunAsync_RendersOnItsOwnThreads_NotOnThePool()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 2 });

        var (pooled, name) = await gate.RunAsync(() => (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name), CancellationToken.None);

        Assert.False(pooled);
        Assert.StartsWith("render-", name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_QueuedPastTheQueueTimeout_IsRefused_AndNeverRuns()
    {
        var time = new FakeTimeProvider();
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1, QueueLimit = 4, QueueTimeoutMilliseconds = 3000 }, time);
        using var release = new ManualResetEventSlim();
        var running = OccupyTheWorker(gate, release);
        var ran = false;
        var queued = gate.RunAsync(() => ran = true, CancellationToken.None);

        time.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.False(queued.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var e = await Assert.ThrowsAsync<CdnException>(() => queued.WaitAsync(Timeout));

        Assert.Equal(CdnErrorKind.Overloaded, e.Kind);
        Assert.Equal(0, gate.Queued);
        release.Set();
        Assert.True(await running.WaitAsync(Timeout));
        Assert.True(await gate.RunAsync(() => true, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(ran);
    }

    [Fact]
    public async Task HeaderReads_RunOnARenderThread_AheadOfTheRendersQueued()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1, QueueLimit = 4 });
        using var release = new ManualResetEventSlim();
        var running = OccupyTheWorker(gate, release);
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var queued = gate.RunAsync(() => { order.Enqueue("render"); return true; }, CancellationToken.None);
        var header = gate.RunHeaderReadAsync(() => { order.Enqueue("header"); return Thread.CurrentThread.IsThreadPoolThread; }, CancellationToken.None);

        release.Set();
        var pooled = await header.WaitAsync(Timeout);
        await Task.WhenAll(running, queued).WaitAsync(Timeout);

        Assert.False(pooled);
        Assert.Equal(["header", "render"], order);
    }

    [Fact]
    public async Task HeaderReads_TakeAtMostTheHeavyWorkers_SoOrdinaryRendersKeepTheOthers()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 2, HeavyWorkers = 1, QueueLimit = 8 });
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var slowHeader = gate.RunHeaderReadAsync(() => { started.Set(); return release.Wait(Timeout); }, CancellationToken.None);
        Assert.True(started.Wait(Timeout));
        var nextHeader = gate.RunHeaderReadAsync(() => release.IsSet, CancellationToken.None);

        // A flood of slow headers (large SVGs) holds one worker; the other renders what is ordinary.
        Assert.True(await gate.RunAsync(() => !release.IsSet, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(nextHeader.IsCompleted);

        release.Set();
        Assert.True(await slowHeader.WaitAsync(Timeout));
        Assert.True(await nextHeader.WaitAsync(Timeout));
    }

    [Fact]
    public async Task RunAsync_ReportsTheRendersRunning_AsEachStartsAndEnds()
    {
        var reported = new System.Collections.Concurrent.ConcurrentQueue<int>();
        using var gate = new RenderGate(new RenderGateOptions { Workers = 2 }, runningChanged: reported.Enqueue);

        await gate.RunAsync(() => 1, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal([1, 0], reported);
    }

    [Fact]
    public async Task HeavyRenders_TakeAtMostTheirWorkers_WhileOrdinaryOnesRunBesideThem()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 2, HeavyWorkers = 1, QueueLimit = 10 });
        using var release = new ManualResetEventSlim();
        using var heavyStarted = new ManualResetEventSlim();
        var heavyRunning = 0;
        var heavyPeak = 0;
        int Heavy()
        {
            InterlockedMax(ref heavyPeak, Interlocked.Increment(ref heavyRunning));
            heavyStarted.Set();
            release.Wait(Timeout);
            Interlocked.Decrement(ref heavyRunning);
            return 1;
        }

        var heavies = Enumerable.Range(0, 3).Select(_ => gate.RunAsync(Heavy, CancellationToken.None, gate.HeavyRenderBytes)).ToList();
        Assert.True(heavyStarted.Wait(Timeout));

        // The second worker is kept for ordinary renders: this one finishes while the heavy ones wait.
        Assert.Equal(2, await gate.RunAsync(() => 2, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(2, gate.Queued);

        release.Set();
        await Task.WhenAll(heavies).WaitAsync(Timeout);
        Assert.Equal(1, heavyPeak);
    }

    [Fact]
    public void IsHeavy_FollowsTheEstimatedMemory()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1, HeavyRenderBytes = 1000 });

        Assert.False(gate.IsHeavy(999));
        Assert.True(gate.IsHeavy(1000));
    }

    [Fact]
    public void IsHeavy_FollowsTheEstimatedWorkToo()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1, HeavyRenderBytes = 1000, HeavyRenderMilliseconds = 200 });
        using var byMemoryOnly = new RenderGate(new RenderGateOptions { Workers = 1, HeavyRenderBytes = 1000, HeavyRenderMilliseconds = 0 });

        Assert.False(gate.IsHeavy(10, TimeSpan.FromMilliseconds(199)));
        Assert.True(gate.IsHeavy(10, TimeSpan.FromMilliseconds(200)));
        Assert.False(byMemoryOnly.IsHeavy(10, TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task Renders_OfTwoClients_TakeTurns_NotFirstComeFirstServed()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1, QueueLimit = 8 });
        using var release = new ManualResetEventSlim();
        var running = OccupyTheWorker(gate, release, client: "a");
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Task<bool> Queue(string name, string client) => gate.RunAsync(() => { order.Enqueue(name); return true; }, CancellationToken.None, client: client);
        var queued = new[] { Queue("a1", "a"), Queue("a2", "a"), Queue("a3", "a"), Queue("b1", "b"), Queue("b2", "b") };

        release.Set();
        await Task.WhenAll([running, .. queued]).WaitAsync(Timeout);

        Assert.Equal(["a1", "b1", "a2", "b2", "a3"], order);
    }

    [Fact]
    public async Task QueueFull_AnotherClient_TakesThePlaceOfTheNewestRenderOfTheClientHoldingTheMost()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1, QueueLimit = 3 });
        using var release = new ManualResetEventSlim();
        var ran = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Task<bool> Queue(string name, string client) => gate.RunAsync(() => { ran.Enqueue(name); return true; }, CancellationToken.None, client: client);
        var running = OccupyTheWorker(gate, release, client: "a");
        var (a1, a2, a3) = (Queue("a1", "a"), Queue("a2", "a"), Queue("a3", "a"));

        // Full: "a" alone may use every place, but not one more.
        Assert.Equal(CdnErrorKind.Overloaded, Assert.Throws<CdnException>(() => { _ = Queue("a4", "a"); }).Kind);
        var b1 = Queue("b1", "b");
        Assert.Equal(CdnErrorKind.Overloaded, (await Assert.ThrowsAsync<CdnException>(() => a3.WaitAsync(Timeout))).Kind);
        var c1 = Queue("c1", "c");
        Assert.Equal(CdnErrorKind.Overloaded, (await Assert.ThrowsAsync<CdnException>(() => a2.WaitAsync(Timeout))).Kind);

        var d1 = Queue("d1", "d");
        Assert.Equal(CdnErrorKind.Overloaded, (await Assert.ThrowsAsync<CdnException>(() => a1.WaitAsync(Timeout))).Kind);

        // Every client holds one place now ("a" the running render): nobody holds two more than "e" would.
        Assert.Equal(CdnErrorKind.Overloaded, Assert.Throws<CdnException>(() => { _ = Queue("e1", "e"); }).Kind);
        release.Set();
        await Task.WhenAll(running, b1, c1, d1).WaitAsync(Timeout);
        Assert.Equal(["b1", "c1", "d1"], ran);
        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public async Task BudgetHeldByOneClientsQueuedRenders_AnotherClient_TakesTheBudgetOfItsNewest()
    {
        var budget = new RenderMemoryBudget(100);
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1, QueueLimit = 8 }, budget: budget);
        using var release = new ManualResetEventSlim();
        var running = OccupyTheWorker(gate, release, client: "a");
        var a1 = gate.RunAsync(() => true, CancellationToken.None, memoryBytes: 50, client: "a");
        var a2 = gate.RunAsync(() => true, CancellationToken.None, memoryBytes: 50, client: "a");
        Assert.Equal(CdnErrorKind.Overloaded, Assert.Throws<CdnException>(() => { _ = gate.RunAsync(() => true, CancellationToken.None, memoryBytes: 10, client: "a"); }).Kind);

        var b1 = gate.RunAsync(() => true, CancellationToken.None, memoryBytes: 30, client: "b");

        Assert.Equal(CdnErrorKind.Overloaded, (await Assert.ThrowsAsync<CdnException>(() => a2.WaitAsync(Timeout))).Kind);
        Assert.Equal(80, budget.InUseBytes);
        release.Set();
        var results = await Task.WhenAll(running, a1, b1).WaitAsync(Timeout);
        Assert.All(results, Assert.True);
        Assert.Equal(0, budget.InUseBytes);
    }

    [Fact]
    public async Task BudgetHeldByRunningRenders_AnotherClient_IsRefused_WithoutRefusingQueuedRendersThatHoldNone()
    {
        var budget = new RenderMemoryBudget(100);
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1, QueueLimit = 8 }, budget: budget);
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var running = gate.RunAsync(() => { started.Set(); return release.Wait(Timeout); }, CancellationToken.None, memoryBytes: 90, client: "a");
        Assert.True(started.Wait(Timeout));
        var a1 = gate.RunAsync(() => true, CancellationToken.None, memoryBytes: 5, client: "a");
        var a2 = gate.RunAsync(() => true, CancellationToken.None, memoryBytes: 0, client: "a");

        // What "a" has queued holds 5 bytes, and "b" needs 40 more than is free: giving them up would not make room.
        Assert.Equal(CdnErrorKind.Overloaded, Assert.Throws<CdnException>(() => { _ = gate.RunAsync(() => true, CancellationToken.None, memoryBytes: 45, client: "b"); }).Kind);

        release.Set();
        Assert.All(await Task.WhenAll(running, a1, a2).WaitAsync(Timeout), Assert.True);
        Assert.Equal(0, budget.InUseBytes);
    }

    [Fact]
    public async Task QueueFull_ARenderThatLeftTheQueue_IsNotRefusedAgain_TheNextNewestIs()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1, QueueLimit = 3 });
        using var release = new ManualResetEventSlim();
        using var cancel = new CancellationTokenSource();
        var running = OccupyTheWorker(gate, release, client: "a");
        var a1 = gate.RunAsync(() => true, CancellationToken.None, client: "a");
        var a2 = gate.RunAsync(() => true, CancellationToken.None, client: "a");
        var a3 = gate.RunAsync(() => true, cancel.Token, client: "a");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a3.WaitAsync(Timeout));
        var a4 = gate.RunAsync(() => true, CancellationToken.None, client: "a"); // takes the cancelled one's place

        var b1 = gate.RunAsync(() => true, CancellationToken.None, client: "b");

        Assert.Equal(CdnErrorKind.Overloaded, (await Assert.ThrowsAsync<CdnException>(() => a4.WaitAsync(Timeout))).Kind);
        release.Set();
        var results = await Task.WhenAll(running, a1, a2, b1).WaitAsync(Timeout);
        Assert.All(results, Assert.True);
    }

    [Fact]
    public async Task QueueFull_TheClientHoldingTheMost_HasNothingQueued_AnotherHoldingTwoMore_GivesUpItsNewest()
    {
        using var gate = new RenderGate(new RenderGateOptions { Workers = 2, QueueLimit = 2 });
        using var release = new ManualResetEventSlim();
        var running = new[] { OccupyTheWorker(gate, release, client: "a"), OccupyTheWorker(gate, release, client: "a") };
        var b1 = gate.RunAsync(() => true, CancellationToken.None, client: "b");
        var b2 = gate.RunAsync(() => true, CancellationToken.None, client: "b");

        // "a" holds as many places as "b", all of them running: only "b" has a render to give up.
        var c1 = gate.RunAsync(() => true, CancellationToken.None, client: "c");

        Assert.Equal(CdnErrorKind.Overloaded, (await Assert.ThrowsAsync<CdnException>(() => b2.WaitAsync(Timeout))).Kind);
        release.Set();
        Assert.All(await Task.WhenAll([.. running, b1, c1]).WaitAsync(Timeout), Assert.True);
    }

    [Fact]
    public async Task ManyClients_RacingCancelsTimeoutsEvictionsAndFailures_LeaveNothingHeld()
    {
        var budget = new RenderMemoryBudget(1000);
        using var gate = new RenderGate(new RenderGateOptions { Workers = 2, HeavyWorkers = 1, HeavyRenderBytes = 300, QueueLimit = 6, QueueTimeoutMilliseconds = 15 }, budget: budget);
        var tasks = new System.Collections.Concurrent.ConcurrentBag<Task>();
        var senders = Enumerable.Range(0, 8).Select(seed => Task.Run(async () =>
        {
            var random = new Random(seed);
            for (var i = 0; i < 300; i++)
            {
                var client = random.Next(5) is var n && n == 4 ? null : "c" + n;
                using var cancel = new CancellationTokenSource();
                var token = random.Next(3) == 0 ? cancel.Token : CancellationToken.None;
                var pause = random.Next(3);
                var fails = random.Next(10) == 0;
                Func<bool> render = () =>
                {
                    Thread.Sleep(pause);
                    return fails ? throw new InvalidOperationException("render failed") : true;
                };
                try
                {
                    tasks.Add(random.Next(4) == 0
                        ? gate.RunHeaderReadAsync(render, token, client)
                        : gate.RunAsync(render, token, memoryBytes: random.Next(500), client: client));
                }
                catch (CdnException)
                {
                    // refused at once: queue or budget full
                }

                if (token.CanBeCanceled)
                {
                    cancel.CancelAfter(random.Next(3));
                    await Task.Delay(random.Next(3));
                }
            }
        })).ToArray();
        await Task.WhenAll(senders).WaitAsync(Timeout);
        await Task.WhenAll(tasks).WaitAsync(Timeout).ContinueWith(_ => { }, TaskScheduler.Default);
        Assert.All(tasks, t => Assert.True(t.IsCompleted));

        Assert.True(SpinWait.SpinUntil(() => gate.Running == 0, Timeout));
        Assert.Equal(0, gate.Queued);
        Assert.Equal(0, budget.InUseBytes);
        // Nothing counted against any client, and the whole budget and the heavy lane free: a heavy render runs.
        var heldByClient = (System.Collections.ICollection)typeof(RenderGate).GetField("_heldByClient", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(gate)!;
        Assert.Empty(heldByClient);
        Assert.True(await gate.RunAsync(() => true, CancellationToken.None, memoryBytes: 1000, client: "c0").WaitAsync(Timeout));
    }

    /// <summary>Starts a render that holds its worker until <paramref name="release"/> is set; returns once it runs.</summary>
    private static Task<bool> OccupyTheWorker(RenderGate gate, ManualResetEventSlim release, string? client = null)
    {
        using var started = new ManualResetEventSlim();
        var running = gate.RunAsync(
            () =>
            {
                started.Set();
                return release.Wait(Timeout);
            },
            CancellationToken.None,
            client: client);
        Assert.True(started.Wait(Timeout));
        return running;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
