using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CdnProxy.Core.Assets;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Transformations;
using CdnProxy.Core.Transformations.Faces;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// Info about an original (<see cref="ImageInfo"/>): resolved like an image URL (cloud, zone, signature, custom
/// domains, workers), cached like a rendition under the original's id (so a purge of the original takes it too),
/// computed on the render gate's workers from the header and one small, cheaply decoded copy.
/// </summary>
public sealed class ImageInfoService
{
    /// <summary>What the analysis may hold of the render memory budget: a header and a sampled copy.</summary>
    private const long AnalysisBytes = 8L * 1024 * 1024;

    /// <summary>With faces: also a ≤ 640 px copy and the detector's working memory.</summary>
    private const long FaceAnalysisBytes = 24L * 1024 * 1024;

    private readonly RequestResolver _resolver;
    private readonly IRenditionCache _cache;
    private readonly RenderGate _gate;
    private readonly RenderLimits _limits;
    private readonly RenditionCachePolicy _policy;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly RenderWatchdog? _watchdog;
    private readonly IFaceDetector _faces;
    private readonly OriginCooldowns _cooldowns;

    public ImageInfoService(
        RequestResolver resolver, IRenditionCache cache, RenderGate gate, ImagePipelineOptions options, TimeProvider time,
        RenditionCachePolicy? policy = null, RenderWatchdog? watchdog = null, IFaceDetector? faces = null, OriginCooldowns? cooldowns = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _resolver = resolver;
        _cache = cache;
        _gate = gate;
        _limits = new RenderLimits { MaxSourcePixels = options.MaxSourcePixels };
        _policy = policy ?? new RenditionCachePolicy();
        _time = time;
        _timeout = options.RenderTimeout > TimeSpan.Zero ? options.RenderTimeout : Timeout.InfiniteTimeSpan;
        _watchdog = watchdog;
        _faces = faces ?? NoFaceDetector.Instance;
        _cooldowns = cooldowns ?? new OriginCooldowns(time, _policy);
    }

    /// <param name="request">An image request whose pattern is <c>original</c>.</param>
    /// <param name="extras">GPS tags (callers decide who may ask) and faces.</param>
    /// <param name="cancellationToken">The request's.</param>
    public async Task<ImageInfoResponse> DescribeAsync(ImageRequest request, InfoExtras extras, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = new StageClock(_time);
        var resolved = _resolver.Resolve(request);
        if (resolved.Plan.Transformations.Count > 0)
        {
            throw CdnException.InvalidArgument("info describes the original file: use the pattern 'original'");
        }

        var key = KeyOf(resolved.Key, extras);
        var cached = await clock.TimeAsync("cache", () => _cache.TryGetAsync(key, cancellationToken)).ConfigureAwait(false);
        if (cached is not null && _policy.IsFresh(cached, _time.GetUtcNow()))
        {
            PrivateFiles.EnsureVisible(cached.Access, resolved.HasValidSignature);
            return Respond(cached, cacheHit: true);
        }

        // Read before the fetch: a purge that lands while this runs makes what it stores stale at once.
        var epoch = await _cache.ReadEpochAsync(key.OriginalId, CancellationToken.None).ConfigureAwait(false);
        using var original = await clock.TimeAsync("fetch", () => new ValueTask<Origins.OriginObject?>(_cooldowns.FetchAsync(resolved.Origin, resolved.Url.FilePath, cancellationToken)))
            .ConfigureAwait(false) ?? throw new CdnException(CdnErrorKind.OriginNotFound, "The original was not found");
        PrivateFiles.EnsureVisible(original.Access, resolved.HasValidSignature);

        var started = _time.GetTimestamp();
        var withFaces = extras.HasFlag(InfoExtras.Faces);
        var (info, decodedWidth, decodedHeight) = await _gate.RunAsync(
            () =>
            {
                using var deadline = new RenderDeadline(_timeout, _time, _watchdog);
                return ImageAnalyser.Analyse(original.Content.Span, new ImageAnalysisOptions
                {
                    IncludeGps = extras.HasFlag(InfoExtras.Gps),
                    Faces = withFaces ? _faces : null,
                    MaxSourcePixels = _limits.MaxSourcePixels,
                    Deadline = deadline,
                });
            },
            cancellationToken,
            withFaces ? FaceAnalysisBytes : AnalysisBytes,
            client: ClientLines.KeyOf(request.Client)).ConfigureAwait(false);
        clock.RecordConsecutive(new StageTiming("analyse", _time.GetElapsedTime(started)) { Description = string.Create(CultureInfo.InvariantCulture, $"decoded {decodedWidth}x{decodedHeight}") });

        var rendition = Rendition.Create(ImageInfoJson.Serialize(info), "application/json", _time.GetUtcNow(), original.Access);
        using (clock.Start("store"))
        {
            await _cache.SetAsync(key, rendition, epoch, CancellationToken.None).ConfigureAwait(false);
        }

        return Respond(rendition, cacheHit: false);

        // Every answer, cached or analysed: the request's preconditions, and no caching past a signed URL's expiry.
        ImageInfoResponse Respond(Rendition answer, bool cacheHit) =>
            new(answer, cacheHit, clock.Timings) { NotModified = request.IsNotModified(answer.ETag), CacheableUntil = resolved.SignatureExpires };
    }

    /// <summary>The info's own key: the original's rendition key (cloud, zone, path, cache buster) as info, with its extras.</summary>
    private static RenditionKey KeyOf(RenditionKey original, InfoExtras extras)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"info:{ImageAnalyser.SchemaVersion}:{(int)extras}\n{original.Value}"));
        return new RenditionKey("i:" + Convert.ToHexStringLower(hash.AsSpan(0, 16)), original.OriginalId);
    }
}

/// <summary>What an info answer adds to the default fields.</summary>
[Flags]
public enum InfoExtras
{
    None = 0,

    /// <summary>The EXIF GPS tags (API callers only).</summary>
    Gps = 1,

    /// <summary>Face boxes (a detection on a ≤ 640 px copy).</summary>
    Faces = 2,
}

/// <summary>An info answer: the JSON (as a rendition, with its ETag and access), whether it came from the cache, the stages.</summary>
public sealed record ImageInfoResponse(Rendition Rendition, bool CacheHit, IReadOnlyList<StageTiming> Timings)
{
    /// <summary>The request's <c>If-None-Match</c> matched.</summary>
    public bool NotModified { get; init; }

    /// <summary>When the signed URL that asked expires: no cache may keep the answer past it. Null: no such bound.</summary>
    public DateTimeOffset? CacheableUntil { get; init; }
}
