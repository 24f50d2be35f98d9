using CdnProxy.Core.Caching;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnProxy.Core.Tests.Pipeline;

public sealed class ImagePipelineTests : IDisposable
{
    private const string Resize = "/v2/demo/t.resize(w:300,h:100)/flower.jpg";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly Lazy<byte[]> FlowerBytes = new(() => TestImages.Read(TestImages.Flower));

    private readonly FakeOriginStore _origin;
    private readonly CountingImageRenderer _renderer;
    private readonly RenderGate _gate;

    public ImagePipelineTests()
    {
        VipsTestRuntime.Ensure();
        var flower = FlowerBytes.Value;
        _origin = new FakeOriginStore("demo")
            .Add("flower.jpg", flower)
            .Add("noise.jpg", [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251))])
            .Add("half.jpg", flower[..(flower.Length / 2)])
            .Add("brand/logo.png", TestImages.Read(TestImages.Sample("alpha-500-tulips.png")));
        _renderer = new CountingImageRenderer(RenderHarness.Create(new EncoderOptions()));
        _gate = new RenderGate(new RenderGateOptions { Workers = 2, QueueLimit = 64 });
        Cache = new MemoryRenditionCache(new MemoryRenditionCacheOptions());
        Pipeline = Build(Cache);
    }

    private MemoryRenditionCache Cache { get; }

    private ImagePipeline Pipeline { get; }

    public void Dispose() => _gate.Dispose();

    private ImagePipeline Build(IRenditionCache cache) => new(
        TestResolvers.For(_origin),
        cache,
        _renderer,
        _gate,
        new ImagePipelineOptions(),
        TimeProvider.System,
        NullLogger<ImagePipeline>.Instance);

    private Task<ImageResponse> Get(string path, string? ifNoneMatch = null, string? dpr = null) =>
        Pipeline.HandleAsync(new ImageRequest(path, Dpr: dpr, IfNoneMatch: ifNoneMatch), CancellationToken.None).WaitAsync(Timeout);

    private async Task<CdnException> Fails(string path)
    {
        return await Assert.ThrowsAsync<CdnException>(() => Get(path));
    }

    [Fact]
    public async Task Miss_RendersAndCaches_SecondRequestIsAHit()
    {
        var first = await Get(Resize);

        Assert.False(first.CacheHit);
        Assert.False(first.NotModified);
        Assert.Equal("image/jpeg", first.Rendition.ContentType);
        using (var probe = ImageProbe.Open(first.Rendition.Bytes))
        {
            Assert.Equal((300, 100), (probe.Width, probe.Height));
        }

        Assert.Equal(1, Cache.Count);

        var second = await Get(Resize);

        Assert.True(second.CacheHit);
        Assert.Equal(first.Rendition.ETag, second.Rendition.ETag);
        Assert.Equal(first.Rendition.Bytes, second.Rendition.Bytes);
        Assert.Equal(1, _renderer.Renders);
        Assert.Equal(1, _origin.Fetches);
    }

    [Fact]
    public async Task Hit_WithMatchingIfNoneMatch_IsNotModifiedWithoutRendering()
    {
        var etag = (await Get(Resize)).Rendition.ETag;

        var response = await Get(Resize, ifNoneMatch: etag);

        Assert.True(response.NotModified);
        Assert.True(response.CacheHit);
        Assert.Equal(1, _renderer.Renders);
        Assert.Equal(1, _origin.Fetches);
    }

    [Fact]
    public async Task Hit_WithOtherIfNoneMatch_IsModified()
    {
        await Get(Resize);

        var response = await Get(Resize, ifNoneMatch: "\"something-else\"");

        Assert.False(response.NotModified);
        Assert.True(response.CacheHit);
    }

    [Fact]
    public async Task Miss_WithIfNoneMatchOfTheNewRendition_IsNotModified()
    {
        var etag = (await Get(Resize)).Rendition.ETag;
        var fresh = new ImagePipelineTests();
        try
        {
            var response = await fresh.Get(Resize, ifNoneMatch: etag);

            Assert.False(response.CacheHit);
            Assert.True(response.NotModified);
        }
        finally
        {
            fresh.Dispose();
        }
    }

    [Fact]
    public async Task ConcurrentIdenticalRequests_FetchAndRenderOnce()
    {
        // The first request's fetch is held until all 20 have arrived: every later one finds the flight running.
        List<Task<ImageResponse>> requests;
        using (_origin.Hold())
        {
            requests = [Get(Resize)];
            await _origin.FetchStarted.WaitAsync(Timeout);
            requests.AddRange(Enumerable.Range(1, 19).Select(_ => Get(Resize)));
        }

        var responses = await Task.WhenAll(requests).WaitAsync(Timeout);

        Assert.Equal(1, _origin.Fetches);
        Assert.Equal(1, _renderer.Renders);
        Assert.Single(responses.Select(r => r.Rendition.ETag).Distinct());
    }

    [Fact]
    public async Task RequestMissingJustBeforeAnotherStores_DoesNotRenderAgain()
    {
        // Request B looks up the cache (miss) while A is rendering, but only joins the single-flight
        // after A has stored and left it: B must find A's rendition instead of rendering again.
        var gated = new GatedCache(Cache);
        var pipeline = Build(gated);
        var a = pipeline.HandleAsync(new ImageRequest(Resize), CancellationToken.None);

        // A misses twice: its own lookup, then the re-check inside its flight. Only then may B's miss be held,
        // or the hold would catch A's re-check instead.
        await gated.SecondMiss.Task.WaitAsync(Timeout);

        gated.HoldNextMiss = true;
        var b = pipeline.HandleAsync(new ImageRequest(Resize), CancellationToken.None);
        await gated.Held.Task.WaitAsync(Timeout);
        await a.WaitAsync(Timeout);
        gated.Release.SetResult();
        var response = await b.WaitAsync(Timeout);

        Assert.Equal(1, _renderer.Renders);
        Assert.Equal(1, _origin.Fetches);
        Assert.Equal((await a).Rendition.ETag, response.Rendition.ETag);
    }

    [Fact]
    public async Task EquivalentPatterns_ShareOneCacheEntry()
    {
        var first = await Get("/v2/demo/t.resize(w:300,h:100)/flower.jpg");
        var second = await Get("/v2/demo/t.resize(h:100,w:300)/flower.jpg");
        var third = await Get("/v2/demo/t.resize(h:100,w:300,f:cover)/flower.jpg");

        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.True(third.CacheHit);
        Assert.Equal(1, _renderer.Renders);
        Assert.Equal(1, Cache.Count);
    }

    [Fact]
    public async Task DifferentDpr_IsADifferentRendition()
    {
        await Get(Resize);
        var doubled = await Get(Resize, dpr: "2");

        Assert.False(doubled.CacheHit);
        Assert.Equal(2, _renderer.Renders);
        using var probe = ImageProbe.Open(doubled.Rendition.Bytes);
        Assert.Equal((600, 200), (probe.Width, probe.Height));
    }

    [Fact]
    public async Task Miss_TimingsHaveEveryStage()
    {
        var response = await Get(Resize);

        var stages = response.Timings.Select(t => t.Stage).ToList();
        Assert.Contains("fetch", stages);
        Assert.Contains("queue", stages);
        Assert.Contains("render", stages);
        Assert.Contains("encode", stages);
        Assert.Contains("cache", stages);
        Assert.Contains("lock", stages);
        Assert.All(response.Timings, t => Assert.True(t.Duration >= TimeSpan.Zero, t.Stage));
        Assert.True(response.Timings.Single(t => t.Stage == "render").Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task Miss_WaitingForARenderWorker_ShowsAsTheQueueStage()
    {
        using var release = new ManualResetEventSlim();
        using var started = new CountdownEvent(2);
        var held = Enumerable.Range(0, 2).Select(_ => _gate.RunAsync(() => { started.Signal(); return release.Wait(TimeSpan.FromSeconds(30)); }, CancellationToken.None)).ToArray();
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));

        var response = Get(Resize);
        await Task.Delay(300);
        release.Set();
        await Task.WhenAll(held);

        var queue = (await response).Timings.Single(t => t.Stage == "queue").Duration;
        Assert.True(queue >= TimeSpan.FromMilliseconds(250), $"queue {queue.TotalMilliseconds} ms while both workers were held for 300 ms");
    }

    [Fact]
    public async Task Hit_TimingsHaveOnlyTheCacheStage()
    {
        await Get(Resize);

        var response = await Get(Resize);

        Assert.Equal(["cache"], response.Timings.Select(t => t.Stage));
    }

    [Theory]
    [InlineData("no-slash")]
    [InlineData("/v3/demo/original/flower.jpg")]
    [InlineData("/v2/demo/original")]
    [InlineData("/v2/demo//flower.jpg")]
    public async Task MalformedUrl_Throws(string path)
    {
        Assert.Equal(CdnErrorKind.MalformedUrl, (await Fails(path)).Kind);
    }

    [Theory]
    [InlineData("t.resize(w:300", 15)]
    [InlineData("t.resize(w:300)~", 17)]
    [InlineData("t.resize(w::3)", 12)]
    public async Task BadPattern_ThrowsPatternSyntaxWithColumn(string pattern, int column)
    {
        var e = await Fails($"/v2/demo/{pattern}/flower.jpg");

        Assert.Equal(CdnErrorKind.PatternSyntax, e.Kind);
        Assert.Equal(column, e.Column);
    }

    [Fact]
    public async Task UnknownOperation_ThrowsUnknownTransformation()
    {
        var e = await Fails("/v2/demo/t.flip()~t.frobnicate()/flower.jpg");

        Assert.Equal(CdnErrorKind.UnknownTransformation, e.Kind);
        Assert.Equal(10, e.Column);
    }

    [Fact]
    public async Task BadArgument_ThrowsInvalidArgument()
    {
        Assert.Equal(CdnErrorKind.InvalidArgument, (await Fails("/v2/demo/t.resize(w:-5)/flower.jpg")).Kind);
    }

    [Fact]
    public async Task BadDpr_ThrowsInvalidArgument()
    {
        var e = await Assert.ThrowsAsync<CdnException>(() => Get(Resize, dpr: "9"));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public async Task UnknownCloud_Throws()
    {
        Assert.Equal(CdnErrorKind.UnknownCloud, (await Fails("/v2/nobody/original/flower.jpg")).Kind);
        Assert.Equal(0, _origin.Fetches);
    }

    [Fact]
    public async Task MissingFile_ThrowsOriginNotFound()
    {
        Assert.Equal(CdnErrorKind.OriginNotFound, (await Fails("/v2/demo/original/missing.jpg")).Kind);
        Assert.Equal(0, _renderer.Renders);
    }

    [Fact]
    public async Task RandomBytes_ThrowsUnsupportedFormat()
    {
        Assert.Equal(CdnErrorKind.UnsupportedFormat, (await Fails("/v2/demo/original/noise.jpg")).Kind);
        Assert.Equal(0, Cache.Count);
    }

    [Theory]
    [InlineData("original")]
    [InlineData("t.resize(w:300,h:100)")]
    [InlineData("t.flip()")]
    public async Task TruncatedJpeg_ThrowsUndecodableImageAndCachesNothing(string pattern)
    {
        var path = $"/v2/demo/{pattern}/half.jpg";

        var first = await Fails(path);
        var second = await Fails(path);

        Assert.Equal(CdnErrorKind.UndecodableImage, first.Kind);
        Assert.Equal(CdnErrorKind.UndecodableImage, second.Kind);
        Assert.Equal(2, _renderer.Renders);
        Assert.Equal(0, Cache.Count);
    }

    [Fact]
    public async Task Merge_FetchesTheImageOnceFromTheSameOriginBeforeTheRender()
    {
        // "brand/logo" has no extension: the fetch stage finds brand/logo.png, the first extension it tries.
        var path = "/v2/demo/t.resize(w:300)~t.merge(i:YnJhbmQvbG9nbw,g:northwest)/flower.jpg";

        var first = await Get(path);
        var second = await Get(path);

        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.Equal(["brand/logo", "brand/logo.png", "flower.jpg"], _origin.FetchedPaths.Order(StringComparer.Ordinal));
        Assert.Equal(["brand/logo"], _renderer.LastReferencedFiles);
        Assert.Equal(1, _renderer.Renders);
    }

    [Fact]
    public async Task Merge_MissingImage_ThrowsReferencedFileNotFoundNamingTheMergeImage()
    {
        var e = await Fails("/v2/demo/t.merge(i:bm9wZQ)/flower.jpg");

        Assert.Equal(CdnErrorKind.ReferencedFileNotFound, e.Kind);
        Assert.Equal("The merge image was not found", e.Message);
        Assert.Equal(0, _renderer.Renders);
    }

    [Fact]
    public async Task Original_ServesTheSourceFormat()
    {
        var response = await Get("/v2/demo/original/flower.jpg");

        Assert.Equal("image/jpeg", response.Rendition.ContentType);
        using var probe = ImageProbe.Open(response.Rendition.Bytes);
        Assert.Equal((2268, 1512), (probe.Width, probe.Height));
    }

    [Fact]
    public async Task ToFormat_ChangesTheContentType()
    {
        var response = await Get("/v2/demo/t.resize(w:100)~t.toFormat(f:png)/flower.jpg");

        Assert.Equal("image/png", response.Rendition.ContentType);
    }

    /// <summary>Can hold one lookup's miss until released, after the real cache has been filled.</summary>
    private sealed class GatedCache(IRenditionCache inner) : IRenditionCache
    {
        private int _misses;

        public TaskCompletionSource SecondMiss { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool HoldNextMiss;

        public async ValueTask<Rendition?> TryGetAsync(RenditionKey key, CancellationToken cancellationToken)
        {
            var found = await inner.TryGetAsync(key, cancellationToken);
            if (found is null && HoldNextMiss)
            {
                HoldNextMiss = false;
                Held.SetResult();
                await Release.Task;
                return null;
            }

            if (found is null && Interlocked.Increment(ref _misses) == 2)
            {
                SecondMiss.TrySetResult();
            }

            return found;
        }

        public ValueTask SetAsync(RenditionKey key, Rendition rendition, CancellationToken cancellationToken) =>
            inner.SetAsync(key, rendition, cancellationToken);
    }
}
