using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;
using CdnProxy.Urls.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Core.Tests.Pipeline;

/// <summary>
/// A private file is served only to signed URLs, whether its rendition is rendered now or found in the cache; the
/// check costs no origin request on a cache hit, and a refused request never reaches the renderer.
/// </summary>
public sealed class PrivateFilePipelineTests : IDisposable
{
    private const string AccessKey = "ak-1";
    private const string Token = "tok-private-tests";
    private const string PrivatePath = "/v2/demo/t.resize(w:40)/secret.jpg";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeOriginStore _origin;
    private readonly CountingImageRenderer _renderer = new(RenderHarness.Create(new EncoderOptions()));
    private readonly RenderGate _gate = new(new RenderGateOptions { Workers = 2 });
    private readonly CdnProxyCounters _counters = new();
    private readonly ImagePipeline _pipeline;

    public PrivateFilePipelineTests()
    {
        var photo = TestImages.Read(TestImages.Sample("cmyk-video001.jpeg"));
        _origin = new FakeOriginStore("demo").Add("secret.jpg", photo, AssetAccess.Private).Add("open.jpg", photo);
        var cache = new TieredRenditionCache(new MemoryRenditionCache(new MemoryRenditionCacheOptions(), _time), null, new RenditionCachePolicy(), _counters, _time);
        var resolver = TestResolvers.For(_origin, _time, new SigningKeyRing([new SigningKey(AccessKey, Token)]));
        _pipeline = new ImagePipeline(resolver, cache, _renderer, _gate, new ImagePipelineOptions(), _time, NullLogger<ImagePipeline>.Instance, counters: _counters);
    }

    public void Dispose()
    {
        _gate.Dispose();
        _counters.Dispose();
    }

    [Fact]
    public async Task Unsigned_IsRefusedAfterTheFetch_WithoutRendering()
    {
        var error = await Assert.ThrowsAsync<CdnException>(() => Get(PrivatePath, signed: false));

        Assert.Equal(CdnErrorKind.SignatureMissing, error.Kind);
        Assert.Equal((1, 0), (_origin.Fetches, _renderer.Renders));
    }

    [Fact]
    public async Task CachedRendition_StillNeedsASignature_AndTheCheckAsksNoOrigin()
    {
        var signed = await Get(PrivatePath, signed: true);
        Assert.Equal(AssetAccess.Private, signed.Rendition.Access);

        var error = await Assert.ThrowsAsync<CdnException>(() => Get(PrivatePath, signed: false));
        var again = await Get(PrivatePath, signed: true);

        Assert.Equal(CdnErrorKind.SignatureMissing, error.Kind);
        Assert.True(again.CacheHit);
        Assert.Equal((1, 1), (_origin.Fetches, _renderer.Renders));
    }

    [Fact]
    public async Task NotModified_IsNotAnsweredToAnUnsignedRequestEither()
    {
        var signed = await Get(PrivatePath, signed: true);

        var error = await Assert.ThrowsAsync<CdnException>(
            () => _pipeline.HandleAsync(new ImageRequest(PrivatePath, IfNoneMatch: signed.Rendition.ETag), CancellationToken.None));

        Assert.Equal(CdnErrorKind.SignatureMissing, error.Kind);
    }

    [Fact]
    public async Task MergingAPrivateFile_MakesTheRenditionPrivate()
    {
        var overlay = Convert.ToBase64String("secret.jpg"u8);
        var path = $"/v2/demo/t.merge(i:{overlay})/open.jpg";

        var error = await Assert.ThrowsAsync<CdnException>(() => Get(path, signed: false));
        var signed = await Get(path, signed: true);

        Assert.Equal(CdnErrorKind.SignatureMissing, error.Kind);
        Assert.Equal(AssetAccess.Private, signed.Rendition.Access);
        Assert.Equal(AssetAccess.PublicRead, (await Get("/v2/demo/t.resize(w:40)/open.jpg", signed: false)).Rendition.Access);
    }

    [Fact]
    public async Task ConcurrentSignedAndUnsigned_TheSignedOneIsServed()
    {
        Task<ImageResponse> unsigned, signed;
        using (_origin.Hold())
        {
            unsigned = Get(PrivatePath, signed: false);
            signed = Get(PrivatePath, signed: true);
            await _origin.FetchStarted;
        }

        Assert.Equal(CdnErrorKind.SignatureMissing, (await Assert.ThrowsAsync<CdnException>(() => unsigned)).Kind);
        Assert.Equal(AssetAccess.Private, (await signed).Rendition.Access);
    }

    private Task<ImageResponse> Get(string path, bool signed)
    {
        var target = signed ? new Uri(UrlSigner.Sign("https://cdn.test" + path, 600, AccessKey, Token, _time)).PathAndQuery : path;
        return _pipeline.HandleAsync(new ImageRequest(path) { RawTarget = target }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
    }
}
