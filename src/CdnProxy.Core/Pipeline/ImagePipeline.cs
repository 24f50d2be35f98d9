using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Rendering;
using CdnProxy.Urls;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Paths;
using Microsoft.Extensions.Logging;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// The request, stage by stage: split → parse → bind → resolve origin → key → cache → single-flight
/// (fetch → render in the gate → store). Everything before the cache lookup is pure and cheap.
/// </summary>
public sealed class ImagePipeline
{
    private readonly RenderPlanBinder _binder;
    private readonly IOriginResolver _origins;
    private readonly IRenditionCache _cache;
    private readonly IImageRenderer _renderer;
    private readonly RenderGate _gate;
    private readonly KeyedSingleFlight<RenderOutcome> _singleFlight = new();
    private readonly ImagePipelineOptions _options;
    private readonly RenderLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger<ImagePipeline> _logger;

    public ImagePipeline(
        RenderPlanBinder binder,
        IOriginResolver origins,
        IRenditionCache cache,
        IImageRenderer renderer,
        RenderGate gate,
        ImagePipelineOptions options,
        TimeProvider time,
        ILogger<ImagePipeline> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _binder = binder;
        _origins = origins;
        _cache = cache;
        _renderer = renderer;
        _gate = gate;
        _options = options;
        _limits = new RenderLimits { MaxSourcePixels = options.MaxSourcePixels };
        _time = time;
        _logger = logger;
    }

    public async Task<ImageResponse> HandleAsync(ImageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var url = Split(request.Path);
        var plan = _binder.Bind(Parse(url.PatternText));
        var dpr = DprParser.Parse(request.Dpr, request.ClientHintDpr);
        var origin = _origins.Resolve(url.Cloud)
            ?? throw new CdnException(CdnErrorKind.UnknownCloud, "Unknown cloud");
        var key = RenditionKeyBuilder.Build(url.Cloud, url.FilePath, plan, dpr);

        var lookupStarted = _time.GetTimestamp();
        var cached = await LookupAsync(key, cancellationToken).ConfigureAwait(false);
        var lookup = new StageTiming("cache", _time.GetElapsedTime(lookupStarted));
        if (cached is not null)
        {
            return Respond(request, cached, cacheHit: true, [lookup]);
        }

        var outcome = await _singleFlight.RunAsync(
            key.Value,
            () => RenderUnlessStoredAsync(url, origin, plan, new RenderContext(_limits, dpr), key),
            cancellationToken).ConfigureAwait(false);
        return Respond(request, outcome.Rendition, cacheHit: outcome.FromCache, [.. outcome.Timings, lookup]);
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
        using var original = await origin.FetchAsync(url.FilePath, CancellationToken.None).ConfigureAwait(false)
            ?? throw new CdnException(CdnErrorKind.OriginNotFound, "The original was not found");
        var fetch = new StageTiming("fetch", _time.GetElapsedTime(fetchStarted));

        var rendered = await _gate.RunAsync(() => _renderer.Render(original.Content.Span, plan, context), CancellationToken.None)
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

    private static ImageResponse Respond(ImageRequest request, Rendition rendition, bool cacheHit, IReadOnlyList<StageTiming> timings) =>
        new(rendition, EntityTagMatcher.Matches(request.IfNoneMatch, rendition.ETag), cacheHit, timings);

    private static CdnUrl Split(string path)
    {
        try
        {
            return CdnUrlSplitter.Split(path);
        }
        catch (CdnUrlException e)
        {
            throw new CdnException(CdnErrorKind.MalformedUrl, e.Message, e);
        }
    }

    private PatternSyntax Parse(string pattern)
    {
        if (PatternGrammar.TryParse(pattern, _options.Pattern, out var syntax, out var error))
        {
            return syntax;
        }

        // An over-long pattern is a bad request like any other syntax problem.
        throw new CdnException(CdnErrorKind.PatternSyntax, error.Message, error, error.Column);
    }

    private sealed record RenderOutcome(Rendition Rendition, IReadOnlyList<StageTiming> Timings)
    {
        /// <summary>True when the rendition was found in the cache instead of rendered.</summary>
        public bool FromCache { get; init; }
    }
}
