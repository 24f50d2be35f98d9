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
        await _shared.SetAsync(Key, Made(), CancellationToken.None);

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
        await _shared.SetAsync(Key, renewed, CancellationToken.None);

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
    public async Task Purge_CountsPerTier_AndSaysWhenTheSharedTierIsUnreachable()
    {
        await _cache.SetAsync(Key, Made(), CancellationToken.None);

        Assert.Equal(new PurgeCounts(1, 1), await _cache.PurgeEverywhereAsync("demo/a.jpg", CancellationToken.None));
        _shared.Unreachable = true;
        Assert.Equal(new PurgeCounts(0, null), await _cache.PurgeEverywhereAsync("demo/a.jpg", CancellationToken.None));
    }

    [Fact]
    public async Task KnownMissing_InTheSharedTier_IsSeenHere()
    {
        await _shared.SetKnownMissingAsync("demo/gone.jpg", TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.True(await _cache.IsKnownMissingAsync("demo/gone.jpg", CancellationToken.None));
        Assert.Equal(1, _counters.Snapshot().NegativeHits);
    }

    private Rendition Made() => Rendition.Create([1, 2, 3], "image/png", _time.GetUtcNow());

    private sealed class FakeSharedCache : ISharedRenditionCache
    {
        private readonly Dictionary<string, (string Original, Rendition Rendition)> _values = [];
        private readonly HashSet<string> _missing = [];
        private readonly List<Action<string>> _handlers = [];

        public long MaxValueBytes => long.MaxValue;

        public bool Unreachable { get; set; }

        public int Reads { get; private set; }

        public ValueTask<Rendition?> TryGetAsync(RenditionKey key, CancellationToken cancellationToken)
        {
            Reads++;
            return ValueTask.FromResult(_values.TryGetValue(key.Value, out var v) ? v.Rendition : null);
        }

        public ValueTask SetAsync(RenditionKey key, Rendition rendition, CancellationToken cancellationToken)
        {
            _values[key.Value] = (key.OriginalId, rendition);
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> IsKnownMissingAsync(string originalId, CancellationToken cancellationToken) => ValueTask.FromResult(_missing.Contains(originalId));

        public ValueTask SetKnownMissingAsync(string originalId, TimeSpan ttl, CancellationToken cancellationToken)
        {
            _missing.Add(originalId);
            return ValueTask.CompletedTask;
        }

        public ValueTask<long?> TryPurgeAsync(string originalId, CancellationToken cancellationToken)
        {
            if (Unreachable)
            {
                return ValueTask.FromResult<long?>(null);
            }

            var keys = _values.Where(v => v.Value.Original == originalId).Select(v => v.Key).ToList();
            keys.ForEach(k => _values.Remove(k));
            AnnouncePurge(originalId);
            return ValueTask.FromResult<long?>(keys.Count);
        }

        public void SubscribeToPurges(Action<string> onPurged) => _handlers.Add(onPurged);

        public void AnnouncePurge(string originalId) => _handlers.ForEach(h => h(originalId));
    }
}
