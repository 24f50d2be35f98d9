using CdnProxy.Core.Caching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Core.Tests.Caching;

public sealed class PendingPurgesTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FlakySharedTier _shared = new();

    [Fact]
    public async Task FailedSharedPurge_IsRetriedWithDoublingBackoff_UntilConfirmedOnce()
    {
        var (cache, pending) = Tiered();
        _shared.FailuresLeft = 4;

        var counts = await cache.PurgeEverywhereAsync("demo/a.jpg", CancellationToken.None);

        Assert.False(counts.Complete);
        Assert.Equal(1, pending.Count);
        // The purge itself and the retries 1, 3 and 7 s later fail (waits of 1, 2, 4 s); the one 8 s after that confirms.
        var waited = new List<TimeSpan>();
        var start = _time.GetUtcNow();
        while (pending.Count > 0)
        {
            Assert.False(await pending.RetryDueAsync(CancellationToken.None));
            _time.SetUtcNow(pending.NextAttempt);
            Assert.True(await pending.RetryDueAsync(CancellationToken.None));
            waited.Add(_time.GetUtcNow() - start);
        }

        Assert.Equal([1, 3, 7, 15], waited.Select(w => w.TotalSeconds));
        Assert.Equal(["demo/a.jpg"], _shared.Confirmed);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(await pending.RetryDueAsync(CancellationToken.None));
        Assert.Single(_shared.Confirmed);
    }

    [Fact]
    public async Task Backoff_StopsGrowingAtThirtySeconds()
    {
        var pending = new PendingPurges(_shared, _time, NullLogger.Instance);
        _shared.FailuresLeft = int.MaxValue;
        pending.Add("demo/a.jpg");

        var delays = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            var before = pending.NextAttempt;
            _time.SetUtcNow(before);
            await pending.RetryDueAsync(CancellationToken.None);
            delays.Add((pending.NextAttempt - before).TotalSeconds);
        }

        Assert.Equal([2, 4, 8, 16, 30, 30, 30, 30], delays);
    }

    [Fact]
    public async Task AnOriginalPurgedSeveralTimes_IsRetriedOnce()
    {
        var pending = new PendingPurges(_shared, _time, NullLogger.Instance);
        pending.Add("demo/a.jpg");
        pending.Add("demo/b.jpg");
        pending.Add("demo/a.jpg");

        _time.Advance(PendingPurges.FirstDelay);
        await pending.RetryDueAsync(CancellationToken.None);

        Assert.Equal(0, pending.Count);
        Assert.Equal(["demo/b.jpg", "demo/a.jpg"], _shared.Confirmed);
    }

    [Fact]
    public async Task PastTheCapacity_TheOldestAreDroppedAndCounted()
    {
        var pending = new PendingPurges(_shared, _time, NullLogger.Instance, capacity: 3);
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            pending.Add("demo/" + name);
        }

        Assert.Equal(3, pending.Count);
        Assert.Equal(2, pending.Dropped);
        _time.Advance(PendingPurges.FirstDelay);
        await pending.RetryDueAsync(CancellationToken.None);
        Assert.Equal(["demo/c", "demo/d", "demo/e"], _shared.Confirmed);
    }

    [Fact]
    public async Task PurgedAgainWhileItsRetryRuns_StaysPending()
    {
        var pending = new PendingPurges(_shared, _time, NullLogger.Instance);
        pending.Add("demo/a.jpg");
        _shared.DuringPurge = () => pending.Add("demo/a.jpg");

        _time.Advance(PendingPurges.FirstDelay);
        await pending.RetryDueAsync(CancellationToken.None);

        Assert.Equal(1, pending.Count);
    }

    [Fact]
    public async Task RunAsync_RetriesInTheBackground_WithoutAnyoneWaitingForIt()
    {
        var (cache, pending) = Tiered();
        _shared.FailuresLeft = 2;
        using var stop = new CancellationTokenSource();
        var run = pending.RunAsync(stop.Token);

        await cache.PurgeEverywhereAsync("demo/a.jpg", CancellationToken.None);
        // Each failed attempt doubles the wait: 1 s, then 2 s.
        for (var attempts = 2; attempts <= 3; attempts++)
        {
            await Until(() => _shared.Attempts == attempts - 1);
            await AdvanceUntil(() => _shared.Attempts == attempts);
        }

        await Until(() => pending.Count == 0);
        Assert.Equal(["demo/a.jpg"], _shared.Confirmed);
        await stop.CancelAsync();
        await run;
    }

    private (TieredRenditionCache Cache, PendingPurges Pending) Tiered()
    {
        var cache = new TieredRenditionCache(
            new MemoryRenditionCache(new MemoryRenditionCacheOptions(), _time), _shared, new RenditionCachePolicy(), new(), _time);
        return (cache, cache.Pending!);
    }

    // Both bounded generously (about 30 s): the retry loop runs on a pool thread, which a CI box busy with other
    // test classes may not give it for a second or more; moving the fake clock on meanwhile only shortens its waits.
    private async Task AdvanceUntil(Func<bool> condition)
    {
        for (var i = 0; i < 6000 && !condition(); i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        Assert.True(condition());
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 6000 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition());
    }

    /// <summary>A shared tier whose purges fail <see cref="FailuresLeft"/> times, then succeed.</summary>
    private sealed class FlakySharedTier : ISharedRenditionCache
    {
        public int FailuresLeft { get; set; }

        public int Attempts { get; private set; }

        public List<string> Confirmed { get; } = [];

        public Action? DuringPurge { get; set; }

        public long MaxValueBytes => long.MaxValue;

        public ValueTask<bool> TryPurgeAsync(string originalId, CancellationToken cancellationToken)
        {
            Attempts++;
            DuringPurge?.Invoke();
            DuringPurge = null;
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                return ValueTask.FromResult(false);
            }

            Confirmed.Add(originalId);
            return ValueTask.FromResult(true);
        }

        public ValueTask<Rendition?> TryGetAsync(RenditionKey key, CancellationToken cancellationToken) => ValueTask.FromResult<Rendition?>(null);

        public ValueTask<string?> ReadEpochAsync(string originalId, CancellationToken cancellationToken) => ValueTask.FromResult<string?>("e");

        public ValueTask SetAsync(RenditionKey key, Rendition rendition, string epoch, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<bool> IsKnownMissingAsync(string originalId, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask SetKnownMissingAsync(string originalId, TimeSpan ttl, string epoch, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void SubscribeToPurges(Action<string> onPurged, Action onPurgesMissed)
        {
        }
    }
}
