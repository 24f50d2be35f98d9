using CdnProxy.Core.Caching;

namespace CdnProxy.Core.Tests.Caching;

public class MemoryRenditionCacheTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static RenditionKey Key(string name) => new("r:v1:demo:" + name, "demo/" + name);

    private static Rendition Of(int bytes, byte fill = 1) => Rendition.Create([.. Enumerable.Repeat(fill, bytes)], "image/png", Now);

    private static MemoryRenditionCache Cache(long maxBytes, long maxEntryBytes = long.MaxValue) =>
        new(new MemoryRenditionCacheOptions { MaxBytes = maxBytes, MaxEntryBytes = maxEntryBytes, EntryOverheadBytes = 0 });

    private static async Task<bool> Has(MemoryRenditionCache cache, string name) =>
        await cache.TryGetAsync(Key(name), CancellationToken.None) is not null;

    [Fact]
    public async Task EachEntrysBookkeeping_CountsAgainstTheBudget_SoTinyRenditionsCannotHoldManyTimesIt()
    {
        var cache = new MemoryRenditionCache(new MemoryRenditionCacheOptions { MaxBytes = 1_000_000 });
        for (var i = 0; i < 10_000; i++)
        {
            await cache.SetAsync(Key("tiny-" + i), Of(100), CancellationToken.None);
        }

        // 100 B each, ~934 B counted with the default 768 B and the key text (2 B a character): about 1,070 fit, not 10,000.
        Assert.InRange(cache.Count, 1_000, 1_100);
        Assert.InRange(cache.Size, 990_000, 1_000_000);

        // What an entry really holds (measured: ~753 B for a 100-B rendition, 7.5 times what was counted before) is no
        // more than what is now counted for it.
        GC.Collect();
        var before = GC.GetTotalMemory(true);
        var measured = new MemoryRenditionCache(new MemoryRenditionCacheOptions { MaxBytes = long.MaxValue, EntryOverheadBytes = 0 });
        for (var i = 0; i < 10_000; i++)
        {
            await measured.SetAsync(Key("tiny-" + i), Of(100), CancellationToken.None);
        }

        var perEntry = (GC.GetTotalMemory(true) - before) / 10_000.0;
        GC.KeepAlive(measured);
        Assert.True(perEntry < 100 + 768 + (2 * 33), $"{perEntry} B held per entry");
    }

    [Fact]
    public async Task TryGet_Missing_ReturnsNull()
    {
        Assert.Null(await Cache(100).TryGetAsync(Key("a"), CancellationToken.None));
    }

    [Fact]
    public async Task Set_ThenGet_ReturnsTheRendition()
    {
        var cache = Cache(100);
        var rendition = Of(10);

        await cache.SetAsync(Key("a"), rendition, CancellationToken.None);

        Assert.Same(rendition, await cache.TryGetAsync(Key("a"), CancellationToken.None));
        Assert.Equal(10, cache.Size);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task Set_OverBudget_EvictsLeastRecentlyUsed()
    {
        var cache = Cache(100);
        await cache.SetAsync(Key("a"), Of(40), CancellationToken.None);
        await cache.SetAsync(Key("b"), Of(40), CancellationToken.None);

        await cache.SetAsync(Key("c"), Of(40), CancellationToken.None);

        Assert.False(await Has(cache, "a"));
        Assert.True(await Has(cache, "b"));
        Assert.True(await Has(cache, "c"));
        Assert.Equal(80, cache.Size);
    }

    [Fact]
    public async Task Set_EvictsAsManyAsNeeded()
    {
        var cache = Cache(100);
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            await cache.SetAsync(Key(name), Of(25), CancellationToken.None);
        }

        await cache.SetAsync(Key("big"), Of(70), CancellationToken.None);

        Assert.False(await Has(cache, "a"));
        Assert.False(await Has(cache, "b"));
        Assert.False(await Has(cache, "c"));
        Assert.True(await Has(cache, "d"));
        Assert.True(await Has(cache, "big"));
        Assert.Equal(95, cache.Size);
    }

    [Fact]
    public async Task TryGet_Hit_UpdatesRecency()
    {
        var cache = Cache(100);
        await cache.SetAsync(Key("a"), Of(40), CancellationToken.None);
        await cache.SetAsync(Key("b"), Of(40), CancellationToken.None);
        Assert.True(await Has(cache, "a"));

        await cache.SetAsync(Key("c"), Of(40), CancellationToken.None);

        Assert.True(await Has(cache, "a"));
        Assert.False(await Has(cache, "b"));
        Assert.True(await Has(cache, "c"));
    }

    [Fact]
    public async Task Set_ExactlyFull_KeepsEverything()
    {
        var cache = Cache(100);
        await cache.SetAsync(Key("a"), Of(50), CancellationToken.None);
        await cache.SetAsync(Key("b"), Of(50), CancellationToken.None);

        Assert.Equal(2, cache.Count);
        Assert.Equal(100, cache.Size);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public async Task MaxBytesZero_StoresNothing(int size)
    {
        var cache = Cache(0);

        await cache.SetAsync(Key("a"), Of(size), CancellationToken.None);

        Assert.False(await Has(cache, "a"));
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Size);
    }

    [Fact]
    public async Task Set_EntryOverMaxEntryBytes_IsNotStoredAndEvictsNothing()
    {
        var cache = Cache(1000, maxEntryBytes: 100);
        await cache.SetAsync(Key("small"), Of(100), CancellationToken.None);

        await cache.SetAsync(Key("large"), Of(101), CancellationToken.None);

        Assert.False(await Has(cache, "large"));
        Assert.True(await Has(cache, "small"));
        Assert.Equal(100, cache.Size);
    }

    [Fact]
    public async Task Set_EntryOverMaxBytes_IsNotStoredAndEvictsNothing()
    {
        var cache = Cache(100);
        await cache.SetAsync(Key("a"), Of(60), CancellationToken.None);

        await cache.SetAsync(Key("huge"), Of(101), CancellationToken.None);

        Assert.True(await Has(cache, "a"));
        Assert.False(await Has(cache, "huge"));
        Assert.Equal(60, cache.Size);
    }

    [Theory]
    [InlineData(1001, 100_000)] // over MaxEntryBytes (1000)
    [InlineData(600, 500)] // over MaxBytes
    public async Task Set_ANewerRenditionOfAKeyNotKept_DropsTheOlderOne(int newer, long maxBytes)
    {
        // A re-render (the copy had gone stale) grew past a bound: the superseded copy must not stay to be served.
        var cache = Cache(maxBytes, maxEntryBytes: 1000);
        await cache.SetAsync(Key("a"), Of(50, 1), CancellationToken.None);

        await cache.SetAsync(Key("a"), Of(newer, 2), CancellationToken.None);

        Assert.False(await Has(cache, "a"));
        Assert.Equal(0, cache.Size);
    }

    [Fact]
    public async Task EntryOverheadChangedAfterAStore_DoesNotCorruptTheByteAccounting()
    {
        // The options are a mutable record: an entry's cost is what was counted when it was stored.
        var options = new MemoryRenditionCacheOptions { MaxBytes = 100_000, EntryOverheadBytes = 0 };
        var cache = new MemoryRenditionCache(options);
        await cache.SetAsync(Key("a"), Of(100), CancellationToken.None);

        options.EntryOverheadBytes = 768;
        cache.Purge(Key("a").OriginalId);

        Assert.Equal(0, cache.Size);
    }

    [Theory]
    [InlineData(30, 50)]
    [InlineData(50, 30)]
    [InlineData(40, 40)]
    public async Task Set_ReplacingAKey_KeepsByteAccounting(int first, int second)
    {
        var cache = Cache(100);
        await cache.SetAsync(Key("other"), Of(10), CancellationToken.None);
        await cache.SetAsync(Key("a"), Of(first, 1), CancellationToken.None);

        var replacement = Of(second, 2);
        await cache.SetAsync(Key("a"), replacement, CancellationToken.None);

        Assert.Same(replacement, await cache.TryGetAsync(Key("a"), CancellationToken.None));
        Assert.Equal(10 + second, cache.Size);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task Set_ReplacingAKeyWithAFullCache_DoesNotEvictOthersNeedlessly()
    {
        var cache = Cache(100);
        await cache.SetAsync(Key("a"), Of(50), CancellationToken.None);
        await cache.SetAsync(Key("b"), Of(50), CancellationToken.None);

        await cache.SetAsync(Key("b"), Of(50, 2), CancellationToken.None);

        Assert.True(await Has(cache, "a"));
        Assert.Equal(100, cache.Size);
    }

    [Fact]
    public async Task ConcurrentSetAndGet_KeepSizeConsistent()
    {
        var cache = Cache(5_000);
        var sizes = new Dictionary<string, int>();
        for (var i = 0; i < 64; i++)
        {
            sizes["k" + i] = 50 + (i * 7 % 150);
        }

        await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 2_000; i++)
            {
                var name = "k" + random.Next(64);
                if (random.Next(3) == 0)
                {
                    await cache.TryGetAsync(Key(name), CancellationToken.None);
                }
                else
                {
                    await cache.SetAsync(Key(name), Of(sizes[name], (byte)worker), CancellationToken.None);
                }
            }
        })));

        long expected = 0;
        var count = 0;
        foreach (var (name, size) in sizes)
        {
            if (await cache.TryGetAsync(Key(name), CancellationToken.None) is { } hit)
            {
                Assert.Equal(size, hit.Bytes.Length);
                expected += size;
                count++;
            }
        }

        Assert.Equal(expected, cache.Size);
        Assert.Equal(count, cache.Count);
        Assert.InRange(cache.Size, 1, 5_000);
    }
}
