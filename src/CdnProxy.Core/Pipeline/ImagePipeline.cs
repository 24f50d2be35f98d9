using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Rendering;
using CdnProxy.Urls.Paths;
using Microsoft.Extensions.Logging;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// The request, stage by stage: resolve (split, cloud, signature, parse, bind, key: see <see cref="RequestResolver"/>)
/// → cache → single-flight (fetch → render in the gate → store). Everything before the cache lookup is pure and cheap.
/// </summary>
public sealed class ImagePipeline
{
    private readonly RequestResolver _resolver;
    private readonly IRenditionCache _cache;
    private readonly IImageRenderer _renderer;
    private readonly RenderGate _gate;
    private readonly KeyedSingleFlight<RenderOutcome> _singleFlight = new();
    private readonly RenderSourceFetcher _sources = new();
    private readonly RenderLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger<ImagePipeline> _logger;

    public ImagePipeline(
        RequestResolver resolver,
        IRenditionCache cache,
        IImageRenderer renderer,
        RenderGate gate,
        ImagePipelineOptions options,
        TimeProvider time,
        ILogger<ImagePipeline> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _resolver = resolver;
        _cache = cache;
        _renderer = renderer;
        _gate = gate;
        _limits = new RenderLimits
        {
            MaxSourcePixels = options.MaxSourcePixels,
            MaxFrames = options.MaxFrames,
            MaxAnimationPixels = options.MaxAnimationPixels,
        };
        _time = time;
        _logger = logger;
    }

    public async Task<ImageResponse> HandleAsync(ImageRequest request, CancellationToken cancellationToken)
    {
        var resolved = _resolver.Resolve(request);
        var key = resolved.Key;

        var lookupStarted = _time.GetTimestamp();
        var cached = await LookupAsync(key, cancellationToken).ConfigureAwait(false);
        var lookup = new StageTiming("cache", _time.GetElapsedTime(lookupStarted));
        if (cached is not null)
        {
            return Respond(request, resolved, cached, cacheHit: true, [lookup]);
        }

        var outcome = await _singleFlight.RunAsync(
            key.Value,
            () => RenderUnlessStoredAsync(resolved.Url, resolved.Origin, resolved.Plan, new RenderContext(_limits, resolved.Dpr), key),
            cancellationToken).ConfigureAwait(false);
        return Respond(request, resolved, outcome.Rendition, cacheHit: outcome.FromCache, [.. outcome.Timings, lookup]);
    }

    private async Task<RenderOutcome> RenderUnlessStoredAsync(CdnUrl url, IOriginStore origin, RenderPlan plan, RenderContext context, RenditionKey key)
    {
        // Another flight for this key may have stored the rendition after our lookup missed and before we
        // started this one: look again so that request does not render the same image a second time.
        if (await LookupAsync(key, CancellationToken.None).ConfigureAwait(false) is { } stored)
        {
            return new RenderOutcome(stored, []) { FromCache = true };
        }

        return await RenderAndStoreAsync(url, origin, plan, context, key).ConfigureAwait(false);
    }

    private async Task<RenderOutcome> RenderAndStoreAsync(CdnUrl url, IOriginStore origin, RenderPlan plan, RenderContext context, RenditionKey key)
    {
        // Shared by every waiter, so one client going away must not cancel it.
        var fetchStarted = _time.GetTimestamp();
        using var sources = await _sources.FetchAsync(origin, url.FilePath, plan, CancellationToken.None).ConfigureAwait(false);
        var fetch = new StageTiming("fetch", _time.GetElapsedTime(fetchStarted));

        var rendered = await _gate.RunAsync(() => _renderer.Render(sources.Original.Content.Span, plan, context.WithFiles(sources.Files)), CancellationToken.None)
            .ConfigureAwait(false);
        var rendition = Rendition.Create(rendered.Bytes, rendered.ContentType, _time.GetUtcNow());

        var storeStarted = _time.GetTimestamp();
        try
        {
            await _cache.SetAsync(key, rendition, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A cache is an optimisation: any failure to store is logged, never fatal.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.CacheStoreFailed(_logger, key.Value, e);
        }

        return new RenderOutcome(rendition, [
            fetch,
            new StageTiming("render", rendered.DecodeAndTransform),
            new StageTiming("encode", rendered.Encode),
            new StageTiming("store", _time.GetElapsedTime(storeStarted)),
        ]);
    }

    private async ValueTask<Rendition?> LookupAsync(RenditionKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await _cache.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // A failing cache is a miss, not an error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.CacheReadFailed(_logger, key.Value, e);
            return null;
        }
    }

    private static ImageResponse Respond(ImageRequest request, ResolvedRequest resolved, Rendition rendition, bool cacheHit, IReadOnlyList<StageTiming> timings) =>
        new(rendition, EntityTagMatcher.Matches(request.IfNoneMatch, rendition.ETag), cacheHit, timings)
        {
            VariesByAccept = resolved.VariesByAccept,
            FilePath = resolved.Url.FilePath,
        };

    private sealed record RenderOutcome(Rendition Rendition, IReadOnlyList<StageTiming> Timings)
    {
        /// <summary>True when the rendition was found in the cache instead of rendered.</summary>
        public bool FromCache { get; init; }
    }
}
