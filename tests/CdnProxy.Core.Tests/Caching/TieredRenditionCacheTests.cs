using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Core.Tests.Caching;

public sealed class TieredRenditionCacheTests : IDisposable
{
    private static readonly RenditionKey Key = new("r:v1:demo:k", "demo/a.jpg");

    private readonly FakeTimeProvider _time = new();
    private readonly MemoryRenditionCache _memory;
    private readonly FakeSharedCache _shared = new();
    private readonly CdnProxyCounters _counters = new();
    private readonly TieredRenditionCache _cache;

    public TieredRenditionCacheTests()
    {
        _memory = new MemoryRenditionCache(new MemoryRenditionCacheOptions(), _time);
        _cache = new TieredRenditionCache(_memory, _shared, new RenditionCachePolicy { FreshFor = TimeSpan.FromHours(1) }, _counters, _time);
    }

    public void Dispose() => _counters.Dispose();

    [Fact]
    public async Task SharedHit_FillsTheMemoryTier()
    {
        await _shared.SetAsync(Key, Made(), _shared.EpochOf("demo/a.jpg"), CancellationToken.None);

        var first = await _cache.TryGetAsync(Key, CancellationToken.None);
        var second = await _cache.TryGetAsync(Key, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Same(first, second);
        Assert.Equal((1, 1, 1), (_counters.Snapshot().RedisHits, _counters.Snapshot().MemoryHits, _shared.Reads));
    }

    [Fact]
    public async Task StaleMemoryCopy_GivesWayToAFresherSharedOne()
    {
        var old = Made();
        await _memory.SetAsync(Key, old, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(2));
        var renewed = Made();
        await _shared.SetAsync(Key, renewed, _shared.EpochOf("demo/a.jpg"), CancellationToken.None);

        Assert.Same(renewed, await _cache.TryGetAsync(Key, CancellationToken.None));
        Assert.Same(renewed, await _memory.TryGetAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task StaleMemoryCopy_IsReturnedWhenTheSharedTierHasNothingNewer()
    {
        var old = Made();
        await _memory.SetAsync(Key, old, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(2));

        Assert.Same(old, await _cache.TryGetAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task PurgeByAnotherReplica_DropsTheMemoryCopies()
    {
        await _cache.SetAsync(Key, Made(), CancellationToken.None);

        _shared.AnnouncePurge("demo/a.jpg");

        Assert.Null(await _memory.TryGetAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task Purge_CountsMemory_RenewsTheSharedEpoch_AndSaysWhenTheSharedTierIsUnreachable()
    {
        await _cache.SetAsync(Key, Made(), CancellationToken.None);
        var before = _shared.EpochOf("demo/a.jpg");

        Assert.Equal(new PurgeCounts(1, true), await _cache.PurgeEverywhereAsync("demo/a.jpg", CancellationToken.None));
        Assert.NotEqual(before, _shared.EpochOf("demo/a.jpg"));
        Assert.Null(await _cache.TryGetAsync(Key, CancellationToken.None));
        _shared.Unreachable = true;
        var unreachable = await _cache.PurgeEverywhereAsync("demo/a.jpg", CancellationToken.None);
        Assert.Equal(new PurgeCounts(0, false), unreachable);
        Assert.False(unreachable.Complete);
    }

    [Fact]
    public async Task RenderThatBeganBeforeAPurge_IsNeverServedAfterIt()
    {
        var epoch = await _cache.ReadEpochAsync("demo/a.jpg", CancellationToken.None);
        await _cache.PurgeEverywhereAsync("demo/a.jpg", CancellationToken.None);

        await _cache.SetAsync(Key, Made(), epoch, CancellationToken.None);

        Assert.Null(await _cache.TryGetAsync(Key, CancellationToken.None));
        Assert.Null(await _memory.TryGetAsync(Key, CancellationToken.None));
        Assert.Equal(0, _shared.Stored);
    }

    [Fact]
    public async Task PurgeByAnotherReplicaDuringARender_KeepsItsResultOutOfEveryTier()
    {
        var epoch = await _cache.ReadEpochAsync("demo/a.jpg", CancellationToken.None);
        _shared.PurgeFromAnotherReplica("demo/a.jpg");

        await _cache.SetAsync(Key, Made(), epoch, CancellationToken.None);

        Assert.Null(await _memory.TryGetAsync(Key, CancellationToken.None));
        Assert.Null(await _cache.TryGetAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task SharedTierWithoutAKnownEpoch_StoresInMemoryOnly()
    {
        _shared.Unreachable = true;
        var epoch = await _cache.ReadEpochAsync("demo/a.jpg", CancellationToken.None);
        _shared.Unreachable = false;

        await _cache.SetAsync(Key, Made(), epoch, CancellationToken.None);

        Assert.Null(epoch.Shared);
        Assert.NotNull(await _memory.TryGetAsync(Key, CancellationToken.None));
        Assert.Equal(0, _shared.Stored);
    }

    [Fact]
    public async Task PurgesMissedWhileDisconnected_ClearTheMemoryTier()
    {
        await _cache.SetAsync(Key, Made(), CancellationToken.None);
        await _cache.SetAsync(Key with { Value = "r:v1:demo:other", OriginalId = "demo/b.jpg" }, Made(), CancellationToken.None);

        _shared.AnnouncePurgesMissed();

        Assert.Equal(0, _memory.Count);
    }

    [Fact]
    public async Task Peek_CountsNeitherHitsNorMisses()
    {
        Assert.Null(await _cache.PeekAsync(Key, CancellationToken.None));
        await _shared.SetAsync(Key, Made(), _shared.EpochOf("demo/a.jpg"), CancellationToken.None);
        Assert.NotNull(await _cache.PeekAsync(Key, CancellationToken.None));
        Assert.NotNull(await _cache.PeekAsync(Key, CancellationToken.None));

        var counters = _counters.Snapshot();
        Assert.Equal((0, 0, 0), (counters.Misses, counters.RedisHits, counters.MemoryHits));
        Assert.Null(await _cache.TryGetAsync(Key with { Value = "r:v1:demo:none" }, CancellationToken.None));
        Assert.Equal(1, _counters.Snapshot().Misses);
    }

    [Fact]
    public async Task KnownMissing_InTheSharedTier_IsSeenHere()
    {
        await _shared.SetKnownMissingAsync("demo/gone.jpg", TimeSpan.FromMinutes(2), _shared.EpochOf("demo/gone.jpg"), CancellationToken.None);

        Assert.True(await _cache.IsKnownMissingAsync("demo/gone.jpg", CancellationToken.None));
        Assert.Equal(1, _counters.Snapshot().NegativeHits);
    }

    [Fact]
    public async Task NotFoundAnsweredBeforeAPurgeByAnotherReplica_IsRememberedInNeitherTier()
    {
        var beforePurge = await _cache.ReadEpochAsync("demo/new.jpg", CancellationToken.None);
        _shared.PurgeFromAnotherReplica("demo/new.jpg");

        await _cache.SetKnownMissingAsync("demo/new.jpg", TimeSpan.FromMinutes(2), beforePurge, CancellationToken.None);

        Assert.False(await _cache.IsKnownMissingAsync("demo/new.jpg", CancellationToken.None));
        await _cache.SetKnownMissingAsync("demo/new.jpg", TimeSpan.FromMinutes(2), CancellationToken.None);
        Assert.True(await _cache.IsKnownMissingAsync("demo/new.jpg", CancellationToken.None));
        Assert.True(await _shared.IsKnownMissingAsync("demo/new.jpg", CancellationToken.None));
    }

    private Rendition Made() => Rendition.Create([1, 2, 3], "image/png", _time.GetUtcNow());

    /// <summary>Epochs as Redis keeps them: one token per original, renewed by a purge, checked on read and store.</summary>
    private sealed class FakeSharedCache : ISharedRenditionCache
    {
        private readonly Dictionary<string, (string Epoch, Rendition Rendition)> _values = [];
        private readonly Dictionary<string, string> _epochs = [];
        private readonly HashSet<string> _missing = [];
        private readonly List<(Action<string> OnPurged, Action OnMissed)> _handlers = [];
        private int _nextEpoch;

        public long MaxValueBytes => long.MaxValue;

        public bool Unreachable { get; set; }

        public int Reads { get; private set; }

        public int Stored => _values.Count;

        public string EpochOf(string originalId)
        {
            if (!_epochs.TryGetValue(originalId, out var epoch))
            {
                _epochs[originalId] = epoch = "e" + ++_nextEpoch;
            }

            return epoch;
        }

        public ValueTask<Rendition?> TryGetAsync(RenditionKey key, CancellationToken cancellationToken)
        {
            Reads++;
            return ValueTask.FromResult(
                _values.TryGetValue(key.Value, out var v) && _epochs.GetValueOrDefault(key.OriginalId) == v.Epoch ? v.Rendition : null);
        }

        public ValueTask<string?> ReadEpochAsync(string originalId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Unreachable ? null : EpochOf(originalId));

        public ValueTask SetAsync(RenditionKey key, Rendition rendition, string epoch, CancellationToken cancellationToken)
        {
            if (!Unreachable && EpochOf(key.OriginalId) == epoch)
            {
                _values[key.Value] = (epoch, rendition);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> IsKnownMissingAsync(string originalId, CancellationToken cancellationToken) => ValueTask.FromResult(_missing.Contains(originalId));

        public ValueTask SetKnownMissingAsync(string originalId, TimeSpan ttl, string epoch, CancellationToken cancellationToken)
        {
            if (!Unreachable && EpochOf(originalId) == epoch)
            {
                _missing.Add(originalId);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> TryPurgeAsync(string originalId, CancellationToken cancellationToken)
        {
            if (Unreachable)
            {
                return ValueTask.FromResult(false);
            }

            PurgeFromAnotherReplica(originalId);
            return ValueTask.FromResult(true);
        }

        public void SubscribeToPurges(Action<string> onPurged, Action onPurgesMissed) => _handlers.Add((onPurged, onPurgesMissed));

        /// <summary>What a purge made anywhere does here: a new epoch, then the announcement.</summary>
        public void PurgeFromAnotherReplica(string originalId)
        {
            _epochs[originalId] = "e" + ++_nextEpoch;
            _missing.Remove(originalId);
            AnnouncePurge(originalId);
        }

        public void AnnouncePurge(string originalId) => _handlers.ForEach(h => h.OnPurged(originalId));

        public void AnnouncePurgesMissed() => _handlers.ForEach(h => h.OnMissed());
    }
}
