using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Server.Caching;
using CdnProxy.Server.Tests.Origins;
using Microsoft.Extensions.Logging;

namespace CdnProxy.Server.Tests.Caching;

/// <summary>The Redis tier alone against a real redis-server: epochs, purges, corrupt and outdated values.</summary>
public sealed class RedisRenditionCacheTests : IAsyncLifetime, IDisposable
{
    private const string Original = "demo/a.jpg";
    private static readonly RenditionKey Key = new("r:v1:demo:k1", Original);

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly RedisServer _redis = new();
    private readonly CdnProxyCounters _counters = new();
    private readonly CapturingLoggerProvider _log = new();
    private readonly ILoggerFactory _loggers;
    private readonly RedisTier _tier;
    private readonly RedisRenditionCache _cache;

    public RedisRenditionCacheTests()
    {
        var options = new RedisCacheOptions { Configuration = _redis.Configuration, KeyPrefix = "t:", TimeoutMilliseconds = 2000, MaxValueBytes = 4000 };
        _loggers = LoggerFactory.Create(logging => logging.AddProvider(_log).SetMinimumLevel(LogLevel.Warning));
        _tier = RedisTier.Create(options, _counters, TimeProvider.System, _loggers);
        _cache = (RedisRenditionCache)_tier.Cache!;
    }

    /// <summary>Calls made before the first connection attempt ends are misses by design: wait for it.</summary>
    public async Task InitializeAsync() => await _tier.Connection!.Multiplexer;

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _tier.Dispose();
        _loggers.Dispose();
        _counters.Dispose();
        _redis.Dispose();
    }

    [Fact]
    public async Task Stored_IsServedWhileItsEpochIsTheOriginals()
    {
        var rendition = Made(100);
        var epoch = await Epoch();

        await _cache.SetAsync(Key, rendition, epoch, CancellationToken.None);

        Assert.Equal(epoch, await Epoch());
        Assert.Equal(rendition.Bytes, (await Get())?.Bytes);
        Assert.InRange((await _redis.Database.KeyTimeToLiveAsync("t:" + Key.Value))!.Value.TotalDays, 12, 16);
        Assert.True((await _redis.Database.KeyTimeToLiveAsync(_cache.EpochKeyOf(Original)))!.Value.TotalDays > 15);
    }

    [Fact]
    public async Task NotFoundAnsweredBeforeAPurge_IsNotRememberedAfterIt()
    {
        // The origin said "not found", then the file was uploaded and purged before the answer was remembered.
        var beforePurge = await Epoch();
        Assert.True(await _cache.TryPurgeAsync(Original, CancellationToken.None));

        await _cache.SetKnownMissingAsync(Original, TimeSpan.FromMinutes(1), beforePurge, CancellationToken.None);

        Assert.False(await _cache.IsKnownMissingAsync(Original, CancellationToken.None));
        await _cache.SetKnownMissingAsync(Original, TimeSpan.FromMinutes(1), await Epoch(), CancellationToken.None);
        Assert.True(await _cache.IsKnownMissingAsync(Original, CancellationToken.None));
    }

    [Fact]
    public async Task Purge_RenewsTheEpoch_SoEveryRenditionIsAMiss_AndIsDeletedWhenRead()
    {
        var other = Key with { Value = "r:v1:demo:k2" };
        var epoch = await Epoch();
        await _cache.SetAsync(Key, Made(100), epoch, CancellationToken.None);
        await _cache.SetAsync(other, Made(200), epoch, CancellationToken.None);
        await _cache.SetKnownMissingAsync(Original, TimeSpan.FromMinutes(1), epoch, CancellationToken.None);
        Assert.True(await _cache.IsKnownMissingAsync(Original, CancellationToken.None));

        Assert.True(await _cache.TryPurgeAsync(Original, CancellationToken.None));

        Assert.NotEqual(epoch, await Epoch());
        Assert.False(await _cache.IsKnownMissingAsync(Original, CancellationToken.None));
        Assert.Null(await Get());
        Assert.False(await _redis.Database.KeyExistsAsync("t:" + Key.Value));
        Assert.True(await _redis.Database.KeyExistsAsync("t:" + other.Value)); // until read or expired, never served
        Assert.Null(await _cache.TryGetAsync(other, CancellationToken.None));
    }

    [Fact]
    public async Task RenderThatReadTheEpochBeforeAPurge_IsNotStored_AndAStoredOneIsNeverServed()
    {
        var before = await Epoch();
        Assert.True(await _cache.TryPurgeAsync(Original, CancellationToken.None));

        await _cache.SetAsync(Key, Made(100), before, CancellationToken.None);
        Assert.False(await _redis.Database.KeyExistsAsync("t:" + Key.Value));

        // Even written behind the store script's back (a store racing the purge), the value is a miss.
        await _redis.Database.StringSetAsync("t:" + Key.Value, RenditionEnvelope.Write(Made(100), before, Key.Value));
        Assert.Null(await Get());
    }

    [Fact]
    public async Task InfoAnswer_IsStoredAndServed_NotTakenForACorruptValue()
    {
        // ?info answers share the rendition tiers (their keys start with "i:").
        var info = Rendition.Create("{\"width\":40}"u8.ToArray(), "application/json", DateTimeOffset.UtcNow);
        var key = new RenditionKey("i:0123456789abcdef", Original);

        await _cache.SetAsync(key, info, await Epoch(), CancellationToken.None);

        Assert.Equal(info.Bytes, (await _cache.TryGetAsync(key, CancellationToken.None))?.Bytes);
        Assert.DoesNotContain(_log.Lines, line => line.StartsWith("4106 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LostEpoch_MakesItsRenditionsMisses_AndANewOneIsRandom()
    {
        var epoch = await Epoch();
        await _cache.SetAsync(Key, Made(100), epoch, CancellationToken.None);

        await _redis.Database.KeyDeleteAsync(_cache.EpochKeyOf(Original)); // evicted, as allkeys-lru may do

        Assert.Null(await Get());
        Assert.NotEqual(epoch, await Epoch());
    }

    [Fact]
    public async Task ValueWhoseETagIsNotTheHashOfItsBody_IsDeletedAndAMiss()
    {
        await _cache.SetAsync(Key, Made(100), await Epoch(), CancellationToken.None);
        var stored = (byte[])(await _redis.Database.StringGetAsync("t:" + Key.Value))!;
        stored[^1] ^= 0x40;
        await _redis.Database.StringSetAsync("t:" + Key.Value, stored);

        Assert.Null(await Get());
        Assert.False(await _redis.Database.KeyExistsAsync("t:" + Key.Value));
    }

    [Fact]
    public async Task ValueCopiedFromAnotherRenditionOfTheSameOriginal_IsDeletedAndAMiss()
    {
        // Same original, same epoch: only the key tag tells a w_100 value put under the w_200 key.
        var other = Key with { Value = "r:v1:demo:k2" };
        await _cache.SetAsync(other, Made(100), await Epoch(), CancellationToken.None);
        await _redis.Database.StringSetAsync("t:" + Key.Value, await _redis.Database.StringGetAsync("t:" + other.Value));

        Assert.Null(await Get());
        Assert.False(await _redis.Database.KeyExistsAsync("t:" + Key.Value));
        Assert.NotNull(await _cache.TryGetAsync(other, CancellationToken.None));
    }

    [Fact]
    public async Task ValueOfTheFormerEnvelopeVersion_IsDeletedAndAMiss()
    {
        var epoch = await Epoch();
        var stored = RenditionEnvelope.Write(Made(100), epoch, Key.Value);
        stored[0] = 1;
        await _redis.Database.StringSetAsync("t:" + Key.Value, stored);

        Assert.Null(await Get());
        Assert.False(await _redis.Database.KeyExistsAsync("t:" + Key.Value));
    }

    [Theory]
    [InlineData("image/jpeg")] // a PNG body
    [InlineData("application/json")]
    public async Task ValueWhoseContentTypeIsNotWhatItsBodyIs_IsDeletedAndAMiss(string contentType)
    {
        // The ETag, key tag and epoch all match: only the body's own signature tells the content type is wrong.
        var mislabelled = Made(100) with { ContentType = contentType };
        await _redis.Database.StringSetAsync("t:" + Key.Value, RenditionEnvelope.Write(mislabelled, await Epoch(), Key.Value));

        Assert.Null(await Get());
        Assert.False(await _redis.Database.KeyExistsAsync("t:" + Key.Value));
    }

    [Fact]
    public async Task RenditionOverMaxValueBytes_IsNotStored()
    {
        await _cache.SetAsync(Key, Made(4001), await Epoch(), CancellationToken.None);
        Assert.False(await _redis.Database.KeyExistsAsync("t:" + Key.Value));

        await _cache.SetAsync(Key, Made(4000), await Epoch(), CancellationToken.None);
        Assert.True(await _redis.Database.KeyExistsAsync("t:" + Key.Value)); // the bound is on the body
        Assert.Equal(4000, (await Get())?.Bytes.Length);
    }

    [Fact]
    public async Task WellFormedValueWithABodyOverMaxValueBytes_IsAMiss_DeletedAndLoggedOnce_NotARedisError()
    {
        // Written behind the store's back (another deployment's settings, an operator): only the read keeps it out.
        await _redis.Database.StringSetAsync("t:" + Key.Value, RenditionEnvelope.Write(Made(4001), await Epoch(), Key.Value));

        Assert.Null(await Get());
        Assert.Null(await Get());

        Assert.False(await _redis.Database.KeyExistsAsync("t:" + Key.Value));
        Assert.Single(_log.Lines, line => line.StartsWith("4110 ", StringComparison.Ordinal));
        Assert.Equal(0, _counters.Snapshot().RedisErrors);
    }

    [Fact]
    public async Task HugeValue_IsDeletedWithoutBeingSent_AMissLoggedOnce_NotARedisError()
    {
        // As an adversarial probe did with 300 MB: reading it whole timed out and re-opened the breaker on every try.
        const int hugeBytes = 8 * 1024 * 1024;
        await _redis.Database.ScriptEvaluateAsync(
            "redis.call('SET', KEYS[1], string.rep('x', tonumber(ARGV[1])))", ["t:" + Key.Value], [hugeBytes]);
        var sentBefore = await _redis.BytesSentAsync();

        Assert.Null(await Get());
        Assert.Null(await Get());

        Assert.InRange(await _redis.BytesSentAsync() - sentBefore, 0, 64 * 1024);
        Assert.False(await _redis.Database.KeyExistsAsync("t:" + Key.Value));
        Assert.Single(_log.Lines, line => line.StartsWith("4110 ", StringComparison.Ordinal));
        Assert.Equal(0, _counters.Snapshot().RedisErrors);
    }

    private async Task<string> Epoch() => await _cache.ReadEpochAsync(Original, CancellationToken.None) ?? throw new InvalidOperationException("Redis unreachable");

    private ValueTask<Rendition?> Get() => _cache.TryGetAsync(Key, CancellationToken.None);

    private static Rendition Made(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        PngSignature.CopyTo(bytes, 0);
        return Rendition.Create(bytes, "image/png", DateTimeOffset.UtcNow);
    }
}
