using CdnProxy.Core.Caching;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Core.Tests.Caching;

public class MemoryRenditionCachePurgeTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Purge_RemovesEveryRenditionOfTheOriginal_AndNoOther()
    {
        var cache = Cache(maxBytes: 1000);
        await Put(cache, "a1", "demo/a.jpg");
        await Put(cache, "a2", "demo/a.jpg");
        await Put(cache, "b1", "demo/b.jpg");

        Assert.Equal(2, cache.Purge("demo/a.jpg"));

        Assert.Null(await Get(cache, "a1", "demo/a.jpg"));
        Assert.Null(await Get(cache, "a2", "demo/a.jpg"));
        Assert.NotNull(await Get(cache, "b1", "demo/b.jpg"));
        Assert.Equal(10, cache.Size);
        Assert.Equal(0, cache.Purge("demo/a.jpg"));
    }

    [Fact]
    public async Task EvictedRenditions_LeaveTheIndex()
    {
        var cache = Cache(maxBytes: 20);
        await Put(cache, "a1", "demo/a.jpg");
        await Put(cache, "a2", "demo/a.jpg");
        await Put(cache, "b1", "demo/b.jpg"); // evicts a1

        Assert.Equal(1, cache.Purge("demo/a.jpg"));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task KnownMissing_ExpiresAfterItsTtl()
    {
        var cache = Cache(maxBytes: 1000);
        await cache.SetKnownMissingAsync("demo/gone.jpg", TimeSpan.FromSeconds(120), CancellationToken.None);

        Assert.True(await cache.IsKnownMissingAsync("demo/gone.jpg", CancellationToken.None));
        Assert.False(await cache.IsKnownMissingAsync("demo/other.jpg", CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(121));
        Assert.False(await cache.IsKnownMissingAsync("demo/gone.jpg", CancellationToken.None));
    }

    [Fact]
    public async Task Purge_ForgetsKnownMissing()
    {
        var cache = Cache(maxBytes: 1000);
        await cache.SetKnownMissingAsync("demo/gone.jpg", TimeSpan.FromSeconds(120), CancellationToken.None);

        cache.Purge("demo/gone.jpg");

        Assert.False(await cache.IsKnownMissingAsync("demo/gone.jpg", CancellationToken.None));
    }

    [Fact]
    public async Task StoreUnderAnEpochReadBeforeAPurgeOrClear_IsDropped_ButOneReadAfterIsKept()
    {
        var cache = Cache(maxBytes: 1000);
        var rendition = Rendition.Create(new byte[10], "image/png", DateTimeOffset.UnixEpoch);
        var key = new RenditionKey("a1", "demo/a.jpg");

        var beforePurge = await cache.ReadEpochAsync("demo/a.jpg", CancellationToken.None);
        cache.Purge("demo/a.jpg");
        await cache.SetAsync(key, rendition, beforePurge, CancellationToken.None);
        Assert.Null(await cache.TryGetAsync(key, CancellationToken.None));

        var beforeClear = await cache.ReadEpochAsync("demo/a.jpg", CancellationToken.None);
        cache.Clear();
        await cache.SetAsync(key, rendition, beforeClear, CancellationToken.None);
        Assert.Null(await cache.TryGetAsync(key, CancellationToken.None));

        await cache.SetAsync(key, rendition, await cache.ReadEpochAsync("demo/a.jpg", CancellationToken.None), CancellationToken.None);
        Assert.NotNull(await cache.TryGetAsync(key, CancellationToken.None));
        await cache.SetAsync(key, rendition with { ETag = "\"other\"" }, PurgeEpoch.Unknown, CancellationToken.None);
        Assert.Same(rendition, await cache.TryGetAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task KnownMissingUnderAnEpochReadBeforeAPurge_IsDropped()
    {
        var cache = Cache(maxBytes: 1000);
        var beforePurge = await cache.ReadEpochAsync("demo/new.jpg", CancellationToken.None);
        cache.Purge("demo/new.jpg");

        await cache.SetKnownMissingAsync("demo/new.jpg", TimeSpan.FromSeconds(120), beforePurge, CancellationToken.None);

        Assert.False(await cache.IsKnownMissingAsync("demo/new.jpg", CancellationToken.None));
        await cache.SetKnownMissingAsync("demo/new.jpg", TimeSpan.FromSeconds(120), await cache.ReadEpochAsync("demo/new.jpg", CancellationToken.None), CancellationToken.None);
        Assert.True(await cache.IsKnownMissingAsync("demo/new.jpg", CancellationToken.None));
    }

    [Fact]
    public async Task Clear_DropsEverything()
    {
        var cache = Cache(maxBytes: 1000);
        await Put(cache, "a1", "demo/a.jpg");
        await Put(cache, "b1", "demo/b.jpg");
        await cache.SetKnownMissingAsync("demo/gone.jpg", TimeSpan.FromSeconds(120), CancellationToken.None);

        Assert.Equal(2, cache.Clear());

        Assert.Equal((0, 0L), (cache.Count, cache.Size));
        Assert.False(await cache.IsKnownMissingAsync("demo/gone.jpg", CancellationToken.None));
        Assert.Equal(0, cache.Purge("demo/a.jpg"));
    }

    private MemoryRenditionCache Cache(long maxBytes) => new(new MemoryRenditionCacheOptions { MaxBytes = maxBytes, EntryOverheadBytes = 0 }, _time);

    private static ValueTask Put(MemoryRenditionCache cache, string key, string original) =>
        cache.SetAsync(new RenditionKey(key, original), Rendition.Create(new byte[10], "image/png", DateTimeOffset.UnixEpoch), CancellationToken.None);

    private static ValueTask<Rendition?> Get(MemoryRenditionCache cache, string key, string original) =>
        cache.TryGetAsync(new RenditionKey(key, original), CancellationToken.None);
}
