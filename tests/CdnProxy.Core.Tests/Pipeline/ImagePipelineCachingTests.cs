using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Core.Tests.Pipeline;

/// <summary>Freshness, stale-if-error and negative caching through the whole pipeline (real renderer, fake origin and clock).</summary>
public sealed class ImagePipelineCachingTests : IDisposable
{
    private const string Path = "/v2/demo/t.resize(w:40)/small.jpg";

    private static readonly RenditionCachePolicy Policy = new()
    {
        FreshFor = TimeSpan.FromHours(1),
        StaleIfError = TimeSpan.FromHours(6),
        NegativeTtl = TimeSpan.FromMinutes(2),
    };

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeOriginStore _origin = new FakeOriginStore("demo").Add("small.jpg", TestImages.Read(TestImages.Sample("cmyk-video001.jpeg")));
    private readonly CountingImageRenderer _renderer;
    private readonly RenderGate _gate = new(new RenderGateOptions { Workers = 2 });
    private readonly CdnProxyCounters _counters = new();
    private readonly TieredRenditionCache _cache;
    private readonly ImagePipeline _pipeline;

    public ImagePipelineCachingTests()
    {
        _renderer = new CountingImageRenderer(RenderHarness.Create(new EncoderOptions()));
        _cache = new TieredRenditionCache(new MemoryRenditionCache(new MemoryRenditionCacheOptions(), _time), null, Policy, _counters, _time);
        _pipeline = Build(RenderCoordinator.Local);
    }

    public void Dispose()
    {
        _gate.Dispose();
        _counters.Dispose();
    }

    [Fact]
    public async Task FreshRendition_IsServedWithoutAskingTheOrigin()
    {
        await Get(Path);
        _time.Advance(TimeSpan.FromMinutes(59));

        var response = await Get(Path);

        Assert.True(response.CacheHit);
        Assert.Equal((1, 1), (_origin.Fetches, _renderer.Renders));
    }

    [Fact]
    public async Task PurgeDuringARender_ItsResultIsNotServedAfterThePurge()
    {
        Task<ImageResponse> during;
        using (_origin.Hold())
        {
            during = Get(Path);
            await _origin.FetchStarted.WaitAsync(TimeSpan.FromSeconds(30));
            await _cache.PurgeEverywhereAsync("demo/small.jpg", CancellationToken.None);
        }

        await during;
        var after = await Get(Path);

        Assert.False(after.CacheHit);
        Assert.Equal((2, 2), (_origin.Fetches, _renderer.Renders));
        Assert.True((await Get(Path)).CacheHit);
    }

    [Fact]
    public async Task UploadAndPurgeJustAfterTheOriginAnsweredNotFound_TheNotFoundIsNotRememberedAfterThePurge()
    {
        const string NewPath = "/v2/demo/t.resize(w:40)/new.jpg";
        var during = await WhileTheOriginAnswerIsHeld(NewPath, async () =>
        {
            _origin.Add("new.jpg", TestImages.Read(TestImages.Sample("cmyk-video001.jpeg")));
            await _cache.PurgeEverywhereAsync("demo/new.jpg", CancellationToken.None);
        });

        Assert.Equal(CdnErrorKind.OriginNotFound, (await Assert.ThrowsAsync<CdnException>(() => during)).Kind);
        var after = await Get(NewPath);

        Assert.False(after.CacheHit);
        Assert.Equal((2, 1), (_origin.Fetches, _renderer.Renders));
    }

    [Fact]
    public async Task RequestArrivingAfterAnOverwriteAndPurge_DoesNotJoinARenderOfTheFormerOriginal()
    {
        Task<ImageResponse>? after = null;
        var before = await WhileTheOriginAnswerIsHeld(Path, async () =>
        {
            _origin.Add("small.jpg", TestImages.Read(TestImages.Sample("alpha-500-tulips.png")));
            await _cache.PurgeEverywhereAsync("demo/small.jpg", CancellationToken.None);
            after = Get(Path);
        });

        // The first request had the former original in hand; the second asked after the purge and gets the new one.
        Assert.Equal("image/jpeg", (await before).Rendition.ContentType);
        Assert.Equal("image/png", (await after!).Rendition.ContentType);
        Assert.Equal("image/png", (await Get(Path)).Rendition.ContentType);
    }

    [Fact]
    public async Task StaleRendition_IsRenderedAgainFromTheOrigin()
    {
        var first = await Get(Path);
        _time.Advance(TimeSpan.FromHours(2));

        var second = await Get(Path);

        Assert.False(second.CacheHit);
        Assert.False(second.Stale);
        Assert.True(second.Rendition.Created > first.Rendition.Created);
        Assert.Equal((2, 2), (_origin.Fetches, _renderer.Renders));
    }

    [Theory]
    [InlineData(CdnErrorKind.OriginFailed)]
    [InlineData(CdnErrorKind.OriginTimeout)]
    public async Task StaleRendition_OriginFailing_IsServedStaleWithinTheWindow(CdnErrorKind failure)
    {
        var first = await Get(Path);
        _time.Advance(TimeSpan.FromHours(3));
        _origin.Failure = failure;

        var response = await Get(Path);

        Assert.True(response.Stale);
        Assert.Equal(first.Rendition.Bytes, response.Rendition.Bytes);
        Assert.Equal(1, _renderer.Renders);
        Assert.Equal(1, _counters.Snapshot().StaleServed);
    }

    [Fact]
    public async Task StaleRendition_OriginJustFailed_IsServedAtOnceWithoutAskingTheOriginAgainForAWhile()
    {
        await Get(Path);
        _time.Advance(TimeSpan.FromHours(3));
        _origin.Failure = CdnErrorKind.OriginTimeout;
        await Get(Path);
        var fetches = _origin.Fetches;

        var soon = await Get(Path);
        Assert.True(soon.Stale);
        Assert.Equal(fetches, _origin.Fetches);

        _time.Advance(Policy.OriginRetryAfter + TimeSpan.FromSeconds(1));
        _origin.Failure = null;
        var later = await Get(Path);
        Assert.False(later.Stale);
        Assert.Equal(fetches + 1, _origin.Fetches);
        Assert.Equal(2, _counters.Snapshot().StaleServed);
    }

    [Fact]
    public async Task StaleRendition_OriginFailingPastTheWindow_FailsWithTheOriginError()
    {
        await Get(Path);
        _time.Advance(TimeSpan.FromHours(7) + TimeSpan.FromMinutes(1));
        _origin.Failure = CdnErrorKind.OriginTimeout;

        var e = await Assert.ThrowsAsync<CdnException>(() => Get(Path));

        Assert.Equal(CdnErrorKind.OriginTimeout, e.Kind);
    }

    [Fact]
    public async Task NoRendition_OriginFailing_FailsWithTheOriginError()
    {
        _origin.Failure = CdnErrorKind.OriginFailed;

        var e = await Assert.ThrowsAsync<CdnException>(() => Get(Path));

        Assert.Equal(CdnErrorKind.OriginFailed, e.Kind);
    }

    [Fact]
    public async Task ABurstForAFailingOriginal_AsksTheOriginOncePerFailedFetchTtl_AndAnswersTheSameError()
    {
        _origin.Failure = CdnErrorKind.OriginTimeout;

        for (var width = 1; width <= 20; width++)
        {
            var e = await Assert.ThrowsAsync<CdnException>(() => Get($"/v2/demo/t.resize(w:{width})/small.jpg"));
            Assert.Equal(CdnErrorKind.OriginTimeout, e.Kind);
        }

        Assert.Equal(1, _origin.Fetches);
        Assert.Equal((1, 19), (_counters.Snapshot().OriginFetches, _counters.Snapshot().OriginHeld));
        _time.Advance(Policy.FailedFetchTtl);
        _origin.Failure = null;
        await Get(Path);
        Assert.Equal(2, _origin.Fetches);
    }

    [Fact]
    public async Task OriginAskingToWait_IsNotAskedUntilThen_WhileFreshAndStaleRenditionsAreStillServed()
    {
        await Get(Path);
        _time.Advance(TimeSpan.FromHours(3));
        await Get("/v2/demo/t.resize(w:41)/small.jpg");
        _origin.Failure = CdnErrorKind.OriginThrottled;
        _origin.FailureRetryAfter = TimeSpan.FromSeconds(30);

        var first = await Assert.ThrowsAsync<CdnException>(() => Get("/v2/demo/t.resize(w:42)/small.jpg"));
        _time.Advance(TimeSpan.FromSeconds(10));
        var held = await Assert.ThrowsAsync<CdnException>(() => Get("/v2/demo/t.resize(w:43)/small.jpg"));
        var fresh = await Get("/v2/demo/t.resize(w:41)/small.jpg");
        var stale = await Get(Path);

        Assert.Equal((CdnErrorKind.OriginThrottled, TimeSpan.FromSeconds(30)), (first.Kind, first.RetryAfter));
        Assert.Equal((CdnErrorKind.OriginThrottled, TimeSpan.FromSeconds(20)), (held.Kind, held.RetryAfter));
        Assert.True(fresh.CacheHit);
        Assert.True(stale.Stale);
        Assert.Equal(3, _origin.Fetches);
    }

    [Fact]
    public async Task ManyVariantsOfAMissingOriginal_AskTheOriginOnce_WithinTheNegativeTtl()
    {
        for (var width = 1; width <= 100; width++)
        {
            var e = await Assert.ThrowsAsync<CdnException>(() => Get($"/v2/demo/t.resize(w:{width})/missing.jpg"));
            Assert.Equal(CdnErrorKind.OriginNotFound, e.Kind);
        }

        Assert.Equal(1, _origin.Fetches);
        _time.Advance(Policy.NegativeTtl + TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<CdnException>(() => Get("/v2/demo/t.resize(w:1)/missing.jpg"));
        Assert.Equal(2, _origin.Fetches);
    }

    [Fact]
    public async Task MissingMergeImage_DoesNotMarkTheOriginalMissing()
    {
        // i: base64("nope"): a merge image that does not exist.
        var e = await Assert.ThrowsAsync<CdnException>(() => Get("/v2/demo/t.merge(i:bm9wZQ)/small.jpg"));
        Assert.Equal(CdnErrorKind.ReferencedFileNotFound, e.Kind);

        await Get(Path);
        Assert.Equal(1, _renderer.Renders);
    }

    [Fact]
    public async Task OriginThrowingNotFound_IsRememberedToo()
    {
        _origin.Failure = CdnErrorKind.OriginNotFound;

        await Assert.ThrowsAsync<CdnException>(() => Get("/v2/demo/t.resize(w:5)/small.jpg"));
        var e = await Assert.ThrowsAsync<CdnException>(() => Get("/v2/demo/t.resize(w:6)/small.jpg"));

        Assert.Equal(CdnErrorKind.OriginNotFound, e.Kind);
        Assert.Equal(1, _origin.Fetches);
    }

    [Fact]
    public async Task Miss_LockStageHoldsTheTimeSpentOnTheRenderLock()
    {
        var pipeline = Build(new RenderCoordinator(new SlowLockStore(_time, TimeSpan.FromMilliseconds(300)), new RenderLockOptions(), _counters, _time));

        var response = await pipeline.HandleAsync(new ImageRequest(Path), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(TimeSpan.FromMilliseconds(300), response.Timings.Single(t => t.Stage == "lock").Duration);
        Assert.Equal(TimeSpan.Zero, response.Timings.Single(t => t.Stage == "cache").Duration);
    }

    private ImagePipeline Build(RenderCoordinator coordinator) => new(
        TestResolvers.For(_origin, _time),
        _cache,
        _renderer,
        _gate,
        new ImagePipelineOptions(),
        _time,
        NullLogger<ImagePipeline>.Instance,
        Policy,
        coordinator,
        _counters);

    /// <summary>
    /// Starts a request whose origin answer is decided but held back, runs <paramref name="meanwhile"/> (an upload, a
    /// purge), then lets the answer through; returns the request.
    /// </summary>
    private async Task<Task<ImageResponse>> WhileTheOriginAnswerIsHeld(string path, Func<Task> meanwhile)
    {
        using (_origin.Hold(answers: true))
        {
            var request = Get(path);
            await _origin.FetchStarted.WaitAsync(TimeSpan.FromSeconds(30));
            await meanwhile();
            return request;
        }
    }

    private Task<ImageResponse> Get(string path) =>
        _pipeline.HandleAsync(new ImageRequest(path), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>A lock store whose every lock takes <paramref name="delay"/> of (fake) time to acquire, like a slow Redis.</summary>
    private sealed class SlowLockStore(FakeTimeProvider time, TimeSpan delay) : IRenderLockStore
    {
        public ValueTask<bool?> TryAcquireAsync(string lockName, string token, TimeSpan ttl)
        {
            time.Advance(delay);
            return ValueTask.FromResult<bool?>(true);
        }

        public ValueTask ReleaseAsync(string lockName, string token) => ValueTask.CompletedTask;

        public ValueTask MarkNotSharedAsync(string lockName, string token, TimeSpan ttl) => ValueTask.CompletedTask;

        public ValueTask<RenderLockState?> GetStateAsync(string lockName) => ValueTask.FromResult<RenderLockState?>(RenderLockState.Free);
    }
}
