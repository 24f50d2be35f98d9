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

    private MemoryRenditionCache Cache(long maxBytes) => new(new MemoryRenditionCacheOptions { MaxBytes = maxBytes }, _time);

    private static ValueTask Put(MemoryRenditionCache cache, string key, string original) =>
        cache.SetAsync(new RenditionKey(key, original), Rendition.Create(new byte[10], "image/png", DateTimeOffset.UnixEpoch), CancellationToken.None);

    private static ValueTask<Rendition?> Get(MemoryRenditionCache cache, string key, string original) =>
        cache.TryGetAsync(new RenditionKey(key, original), CancellationToken.None);
}
