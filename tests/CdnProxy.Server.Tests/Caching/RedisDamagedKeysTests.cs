using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace CdnProxy.Server.Tests.Caching;

/// <summary>
/// Keys of the shared Redis holding what CdnProxy never writes there (another type, no expiry, garbage), as another
/// program sharing the Redis, an operator or an older version may leave them: every request is still answered as a
/// miss would be, at once, and none counts as a Redis failure (which would open the breaker for every request).
/// </summary>
public sealed class RedisDamagedKeysTests : IDisposable
{
    private const string Path = "/v2/shared/t.resize(w:64)/small.jpg";
    private const string Original = "shared/small.jpg";

    private readonly SharedRedisReplicas _shared = new();

    public void Dispose() => _shared.Dispose();

    private static string OriginalHash => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(Original)));

    private static RedisKey EpochKey => "t:ep:" + OriginalHash;

    private static RedisKey NegativeKey => "t:neg:" + OriginalHash;

    private Replica Start() => _shared.Start();

    private static async Task<HttpResponseMessage> Get(Replica replica, string path = Path) => await replica.GetAsync(path);

    private static async Task AssertImage(Replica replica, string path = Path)
    {
        using var response = await Get(replica, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task AssertNoRedisFailure(Replica replica)
    {
        Assert.Equal(0, await replica.CounterAsync("redisErrors"));
        Assert.Equal("closed", (await replica.StatsAsync()).GetProperty("breakerState").GetString());
    }

    /// <summary>The rendition's Redis key, learnt from a first render by another replica (then removed).</summary>
    private async Task<string> RenditionKeyAsync()
    {
        await AssertImage(Start());
        var key = Assert.Single(_shared.Redis.Keys("t:r:*"));
        await _shared.Redis.Database.KeyDeleteAsync(key);
        return key;
    }

    [Fact]
    public async Task EpochKeyOfAnotherType_IsAMiss_NotARedisFailure_AndIsReplacedByAnEpoch()
    {
        await _shared.Redis.Database.ListRightPushAsync(EpochKey, "not an epoch");
        var replica = Start();

        for (var width = 60; width < 70; width++)
        {
            await AssertImage(replica, $"/v2/shared/t.resize(w:{width})/small.jpg");
        }

        await AssertNoRedisFailure(replica);
        Assert.Equal(RedisType.String, await _shared.Redis.Database.KeyTypeAsync(EpochKey));
        Assert.Equal(10, _shared.Redis.Keys("t:r:*").Count); // the renditions reached Redis under the new epoch
    }

    [Fact]
    public async Task EpochKeyHoldingGarbage_IsReplacedByAnEpoch_SoRenditionsReachRedisAgain()
    {
        // Too long for the envelope, and with bytes no epoch has: stored under it, no value could ever be read back.
        await _shared.Redis.Database.StringSetAsync(EpochKey, new string('\u00e9', 300));
        var replica = Start();

        await AssertImage(replica);

        await AssertNoRedisFailure(replica);
        Assert.Single(_shared.Redis.Keys("t:r:*"));
        await AssertImage(Start()); // a Redis hit on another replica
        Assert.Single(_shared.Replicas, r => r.Renders == 1);
    }

    [Fact]
    public async Task RenditionKeyOfAnotherType_IsAMiss_AndIsReplacedByTheRendition()
    {
        var key = await RenditionKeyAsync();
        await _shared.Redis.Database.HashSetAsync(key, "field", "value");
        var replica = Start();

        await AssertImage(replica);

        await AssertNoRedisFailure(replica);
        Assert.Equal(RedisType.String, await _shared.Redis.Database.KeyTypeAsync(key));
    }

    [Fact]
    public async Task NegativeKeyOfAnotherType_DoesNotHideAnExistingFile()
    {
        await _shared.Redis.Database.SetAddAsync(NegativeKey, "1");

        await AssertImage(Start());
    }

    [Fact]
    public async Task NegativeEntryWithoutExpiry_DoesNotHideAnExistingFileForEver()
    {
        // CdnProxy always writes it with NegativeTtlSeconds: one without expiry would answer 404 until a purge.
        await _shared.Redis.Database.StringSetAsync(NegativeKey, "1");

        await AssertImage(Start());
    }

    /// <summary>
    /// Every lock CdnProxy takes is a string expiring within LockTtlMilliseconds (10 s): a key of another type could
    /// not be read (a Redis failure per request), one that never expires (or not for a day) would make every request
    /// for the rendition wait the whole 8 s bound, for ever when the rendition is too large to share.
    /// </summary>
    [Theory]
    [InlineData("list")]
    [InlineData("string without expiry")]
    [InlineData("string expiring in a day")]
    public async Task LockKeyNoReplicaWrites_IsTakenOver_WithoutWaitingOrARedisFailure(string kind)
    {
        var key = await RenditionKeyAsync();
        RedisKey lockKey = "t:lock:" + key[2..];
        if (kind == "list")
        {
            await _shared.Redis.Database.ListRightPushAsync(lockKey, "x");
        }
        else
        {
            await _shared.Redis.Database.StringSetAsync(lockKey, "crashed-replica");
            await _shared.Redis.Database.KeyExpireAsync(lockKey, kind == "string expiring in a day" ? TimeSpan.FromDays(1) : null);
        }

        var replica = Start();

        var clock = Stopwatch.StartNew();
        await AssertImage(replica);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"{clock.Elapsed.TotalMilliseconds:0} ms (the wait bound is 8 s)");
        Assert.Equal(0, await replica.CounterAsync("lockTimeouts"));
        await AssertNoRedisFailure(replica);
        Assert.True(await _shared.Redis.Database.KeyExistsAsync(key));
        Assert.False(await _shared.Redis.Database.KeyExistsAsync(lockKey)); // released
    }
}
