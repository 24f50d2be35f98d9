using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Rendering;
using CdnProxy.Urls.Paths;
using Microsoft.Extensions.Logging;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// The request, stage by stage: resolve (split, cloud, signature, parse, bind, key: see <see cref="RequestResolver"/>)
/// → cache → single-flight in this process → render turn across replicas (<see cref="RenderCoordinator"/>)
/// → fetch → render in the gate → store. Everything before the cache lookup is pure and cheap. A stale rendition is
/// re-rendered, but still served when the origin then fails within the stale-if-error window.
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
    private readonly RenditionCachePolicy _policy;
    private readonly RenderCoordinator _coordinator;
    private readonly CdnProxyCounters _counters;
    private readonly OriginFailureMemory _originFailures;

    public ImagePipeline(
        RequestResolver resolver,
        IRenditionCache cache,
        IImageRenderer renderer,
        RenderGate gate,
        ImagePipelineOptions options,
        TimeProvider time,
        ILogger<ImagePipeline> logger,
        RenditionCachePolicy? policy = null,
        RenderCoordinator? coordinator = null,
        CdnProxyCounters? counters = null)
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
        _policy = policy ?? new RenditionCachePolicy();
        _coordinator = coordinator ?? RenderCoordinator.Local;
        _counters = counters ?? new CdnProxyCounters();
        _originFailures = new OriginFailureMemory(time, _policy.OriginRetryAfter);
    }

    public async Task<ImageResponse> HandleAsync(ImageRequest request, CancellationToken cancellationToken)
    {
        var resolved = _resolver.Resolve(request);
        var key = resolved.Key;

        var lookupStarted = _time.GetTimestamp();
        var cached = await LookupAsync(key, peek: false, cancellationToken).ConfigureAwait(false);
        var lookup = new StageTiming("cache", _time.GetElapsedTime(lookupStarted));
        if (cached is not null && _policy.IsFresh(cached, _time.GetUtcNow()))
        {
            return Respond(request, resolved, new RenderOutcome(cached, []) { FromCache = true }, [lookup]);
        }

        if (cached is not null && _originFailures.IsFailing(key.OriginalId) && _policy.CanServeStale(cached, _time.GetUtcNow()))
        {
            _counters.RecordStaleServed();
            return Respond(request, resolved, new RenderOutcome(cached, []) { FromCache = true, Stale = true }, [lookup]);
        }

        // Signed and unsigned requests never share a flight: an unsigned one for a private file fails, a signed one must not.
        var outcome = await _singleFlight.RunAsync(
            resolved.HasValidSignature ? key.Value + "\nsigned" : key.Value,
            () => RenderUnlessStoredAsync(resolved, new RenderContext(_limits, resolved.Dpr), stale: cached),
            cancellationToken).ConfigureAwait(false);
        return Respond(request, resolved, outcome, [.. outcome.Timings, lookup]);
    }

    private async Task<RenderOutcome> RenderUnlessStoredAsync(ResolvedRequest resolved, RenderContext context, Rendition? stale)
    {
        var key = resolved.Key;
        // The "lock" stage: the second look, the negative entry and the render lock (with any wait for another
        // replica). With Redis these are Redis calls, so Server-Timing shows what a request spent on them.
        var coordinationStarted = _time.GetTimestamp();
        StageTiming Coordination() => new("lock", _time.GetElapsedTime(coordinationStarted));

        // Another flight for this key may have stored the rendition after our lookup missed and before we
        // started this one: look again so that request does not render the same image a second time.
        if (await FindFreshAsync(key).ConfigureAwait(false) is { } stored)
        {
            return new RenderOutcome(stored, [Coordination()]) { FromCache = true };
        }

        await ThrowIfKnownMissingAsync(key).ConfigureAwait(false);
        var turn = await _coordinator.AcquireAsync(key, () => FindFreshAsync(key), CancellationToken.None).ConfigureAwait(false);
        await using var releaseTurn = turn.ConfigureAwait(false);
        if (turn.ProducedElsewhere is { } ready)
        {
            return new RenderOutcome(ready, [Coordination()]) { FromCache = true };
        }

        if (turn.Waited)
        {
            // Checked again after waiting: the previous holder may have stored it, or found the original missing.
            if (await FindFreshAsync(key).ConfigureAwait(false) is { } storedMeanwhile)
            {
                return new RenderOutcome(storedMeanwhile, [Coordination()]) { FromCache = true };
            }

            await ThrowIfKnownMissingAsync(key).ConfigureAwait(false);
        }

        // Read before the fetch: if the original is purged while this render runs, its result is not served afterwards.
        // Part of the "lock" stage, so every Redis call a request makes shows in Server-Timing.
        var epoch = await ReadEpochAsync(key).ConfigureAwait(false);
        var coordination = Coordination();
        try
        {
            var rendered = await RenderAndStoreAsync(resolved.Url, resolved.Origin, resolved.Plan, context, key, epoch, resolved.HasValidSignature).ConfigureAwait(false);
            if (_coordinator.IsTooLargeToShare(rendered.Rendition))
            {
                turn.MarkNotShared();
            }

            _originFailures.Forget(key.OriginalId);
            return rendered with { Timings = [coordination, .. rendered.Timings] };
        }
        catch (CdnException e) when (e.Kind is CdnErrorKind.OriginFailed or CdnErrorKind.OriginTimeout
            && stale is not null && _policy.CanServeStale(stale, _time.GetUtcNow()))
        {
            Log.ServingStale(_logger, key.Value, e.Kind, e.InnerException ?? e);
            _originFailures.RememberFailure(key.OriginalId);
            _counters.RecordStaleServed();
            return new RenderOutcome(stale, [coordination]) { FromCache = true, Stale = true };
        }
    }

    private async Task<RenderOutcome> RenderAndStoreAsync(CdnUrl url, IOriginStore origin, RenderPlan plan, RenderContext context, RenditionKey key, PurgeEpoch epoch, bool signed)
    {
        // Shared by every waiter, so one client going away must not cancel it.
        var fetchStarted = _time.GetTimestamp();
        using var sources = await FetchSourcesAsync(origin, url.FilePath, plan, key).ConfigureAwait(false);
        var fetch = new StageTiming("fetch", _time.GetElapsedTime(fetchStarted));

        // Refused before the render gate: an unsigned request for a private file costs a fetch, never a render.
        EnsureVisible(sources.Access, signed);
        var rendered = await _gate.RunAsync(
            () =>
            {
                _counters.RecordRender();
                return _renderer.Render(sources.Original.Content.Span, plan, context.WithFiles(sources.Files));
            },
            CancellationToken.None).ConfigureAwait(false);
        var rendition = Rendition.Create(rendered.Bytes, rendered.ContentType, _time.GetUtcNow(), sources.Access);

        var storeStarted = _time.GetTimestamp();
        try
        {
            await _cache.SetAsync(key, rendition, epoch, CancellationToken.None).ConfigureAwait(false);
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

    /// <summary>
    /// The fetch stage (the original and the plan's merge images). Only a missing original is remembered as
    /// missing; a missing merge image fails the request without marking the original.
    /// </summary>
    private async Task<RenderSources> FetchSourcesAsync(IOriginStore origin, string filePath, RenderPlan plan, RenditionKey key)
    {
        _counters.RecordOriginFetch();
        try
        {
            return await _sources.FetchAsync(origin, filePath, plan, CancellationToken.None).ConfigureAwait(false);
        }
        catch (CdnException e) when (e.Kind == CdnErrorKind.OriginNotFound)
        {
            await RememberMissingAsync(key).ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask RememberMissingAsync(RenditionKey key)
    {
        try
        {
            await _cache.SetKnownMissingAsync(key.OriginalId, _policy.NegativeTtl, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A cache is an optimisation: failing to remember a 404 is logged, never fatal.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.CacheStoreFailed(_logger, key.OriginalId, e);
        }
    }

    private async ValueTask ThrowIfKnownMissingAsync(RenditionKey key)
    {
        bool missing;
        try
        {
            missing = await _cache.IsKnownMissingAsync(key.OriginalId, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failing cache is a miss, not an error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.CacheReadFailed(_logger, key.OriginalId, e);
            return;
        }

        if (missing)
        {
            throw new CdnException(CdnErrorKind.OriginNotFound, "The original was not found");
        }
    }

    private async ValueTask<PurgeEpoch> ReadEpochAsync(RenditionKey key)
    {
        try
        {
            return await _cache.ReadEpochAsync(key.OriginalId, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failing cache stores nothing: an unknown epoch.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.CacheReadFailed(_logger, key.OriginalId, e);
            return PurgeEpoch.Unknown;
        }
    }

    /// <summary>
    /// A stored rendition that is fresh enough to serve without rendering, or null. Not counted as a hit or a miss:
    /// the request's own lookup was counted already, and lock waiters poll this many times.
    /// </summary>
    private async ValueTask<Rendition?> FindFreshAsync(RenditionKey key) =>
        await LookupAsync(key, peek: true, CancellationToken.None).ConfigureAwait(false) is { } found && _policy.IsFresh(found, _time.GetUtcNow())
            ? found
            : null;

    private async ValueTask<Rendition?> LookupAsync(RenditionKey key, bool peek, CancellationToken cancellationToken)
    {
        try
        {
            return peek
                ? await _cache.PeekAsync(key, cancellationToken).ConfigureAwait(false)
                : await _cache.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Every answer passes here, cached or rendered: a private rendition goes only to a signed URL (checked before
    /// <c>If-None-Match</c>, so a 304 cannot confirm it either).
    /// </summary>
    private static ImageResponse Respond(ImageRequest request, ResolvedRequest resolved, RenderOutcome outcome, IReadOnlyList<StageTiming> timings)
    {
        EnsureVisible(outcome.Rendition.Access, resolved.HasValidSignature);
        return new(outcome.Rendition, EntityTagMatcher.Matches(request.IfNoneMatch, outcome.Rendition.ETag), outcome.FromCache, timings)
        {
            VariesByAccept = resolved.VariesByAccept,
            FilePath = resolved.Url.FilePath,
            Stale = outcome.Stale,
        };
    }

    private static void EnsureVisible(AssetAccess access, bool signed)
    {
        if (access == AssetAccess.Private && !signed)
        {
            throw new CdnException(CdnErrorKind.SignatureMissing, "This file is private: it is served only through a signed URL");
        }
    }

    private sealed record RenderOutcome(Rendition Rendition, IReadOnlyList<StageTiming> Timings)
    {
        /// <summary>True when the rendition was found in the cache instead of rendered.</summary>
        public bool FromCache { get; init; }

        /// <summary>True when a stale rendition is served because the origin failed.</summary>
        public bool Stale { get; init; }
    }
}
