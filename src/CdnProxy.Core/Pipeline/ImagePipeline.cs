using System.Globalization;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Paths;
using Microsoft.Extensions.Logging;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// A request, stage by stage: resolve (pure: split, cloud, signature, parse, bind, key; <see cref="RequestResolver"/>)
/// → cache → one flight per key in this process → the render turn across replicas (<see cref="RenderCoordinator"/>)
/// → fetch → render on the gate's workers → store. A stale rendition is re-rendered, but still served when the origin
/// then fails within the stale-if-error window. Cache tiers never throw (their contract), so no stage guards them.
/// </summary>
public sealed class ImagePipeline
{
    private readonly RequestResolver _resolver;
    private readonly IRenditionCache _cache;
    private readonly IImageRenderer _renderer;
    private readonly RenderGate _gate;
    private readonly KeyedSingleFlight<RenderOutcome> _singleFlight = new();
    private readonly RenderSourceFetcher _sources;
    private readonly RenderLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger<ImagePipeline> _logger;
    private readonly RenditionCachePolicy _policy;
    private readonly RenderCoordinator _coordinator;
    private readonly CdnProxyCounters _counters;
    private readonly PipelineMetrics _metrics;
    private readonly OriginFailureMemory _originFailures;
    private readonly OriginCooldowns _cooldowns;

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
        CdnProxyCounters? counters = null,
        PipelineMetrics? metrics = null,
        OriginCooldowns? cooldowns = null)
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
            MaxAvifPixels = options.MaxAvifPixels,
            MaxGifFramePixels = options.MaxGifFramePixels,
        };
        _time = time;
        _logger = logger;
        _policy = policy ?? new RenditionCachePolicy();
        _coordinator = coordinator ?? RenderCoordinator.Local;
        _counters = counters ?? new CdnProxyCounters();
        _metrics = metrics ?? new PipelineMetrics();
        _originFailures = new OriginFailureMemory(time, _policy.OriginRetryAfter);
        _cooldowns = cooldowns ?? new OriginCooldowns(time, _policy, counters: _counters);
        _sources = new RenderSourceFetcher(fetches: new SharedOriginFetches(_cooldowns, () => _cache.PurgeGeneration));
    }

    public Task<ImageResponse> HandleAsync(ImageRequest request, CancellationToken cancellationToken) =>
        HandleAsync(request, _resolver.Resolve(request), cancellationToken);

    /// <summary>A request the caller has resolved already (to choose between rendering and streaming it).</summary>
    public async Task<ImageResponse> HandleAsync(ImageRequest request, ResolvedRequest resolved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        // Every shared-tier call of this request, its render flight's included, shares one timeout.
        using var sharedTier = SharedTierBudget.Begin();
        // Before the lookup: a request that arrives after a purge (an overwrite) starts its own flight.
        var generation = _cache.PurgeGeneration;
        var clock = new StageClock(_time);
        var cached = await clock.TimeAsync("cache", () => _cache.TryGetAsync(resolved.Key, cancellationToken)).ConfigureAwait(false);
        var outcome = ServableFromCache(cached, resolved.Key)
            ?? await _singleFlight.RunAsync(FlightKey(resolved, generation), () => ProduceAsync(resolved, stale: cached, ClientLines.KeyOf(request.Client)), cancellationToken).ConfigureAwait(false);
        return Respond(request, resolved, outcome, [.. outcome.Timings, .. clock.Timings]);
    }

    /// <summary>
    /// Who may share a render: signed and unsigned requests never do (an unsigned one for a private file fails, a signed
    /// one must not), nor requests on either side of a purge (the later one must not get the former original's render).
    /// </summary>
    private static string FlightKey(ResolvedRequest resolved, long purgeGeneration) =>
        string.Create(CultureInfo.InvariantCulture, $"{resolved.Key.Value}\n{(resolved.HasValidSignature ? "signed" : "unsigned")}\n{purgeGeneration}");

    /// <summary>A fresh rendition, or a stale one while its origin is known to be failing; null: produce it.</summary>
    private RenderOutcome? ServableFromCache(Rendition? cached, RenditionKey key)
    {
        if (cached is null)
        {
            return null;
        }

        if (_policy.IsFresh(cached, _time.GetUtcNow()))
        {
            return RenderOutcome.FromCache(cached, []);
        }

        if (!_originFailures.IsFailing(key.OriginalId) || !_policy.CanServeStale(cached, _time.GetUtcNow()))
        {
            return null;
        }

        _counters.RecordStaleServed();
        return RenderOutcome.FromCache(cached, [], stale: true);
    }

    /// <summary>
    /// One render for every request waiting on the key: take the render turn across replicas, fetch, render, store.
    /// Shared by all waiters, so no single client's cancellation stops it; it waits for a worker in the line of the
    /// <paramref name="client"/> that started it.
    /// </summary>
    private async Task<RenderOutcome> ProduceAsync(ResolvedRequest resolved, Rendition? stale, string? client)
    {
        var clock = new StageClock(_time);
        var key = resolved.Key;
        var (turn, ready, epoch) = await clock.TimeAsync("lock", () => TakeTurnAsync(key)).ConfigureAwait(false);
        if (turn is null)
        {
            return RenderOutcome.FromCache(ready!, clock.Timings);
        }

        await using (turn.ConfigureAwait(false))
        {
            try
            {
                var rendition = await RenderAndStoreAsync(resolved, epoch, clock, client).ConfigureAwait(false);
                if (_coordinator.IsTooLargeToShare(rendition))
                {
                    turn.MarkNotShared();
                }

                _originFailures.Forget(key.OriginalId);
                return new RenderOutcome(rendition, clock.Timings);
            }
            catch (CdnException e) when (e.Kind is CdnErrorKind.OriginFailed or CdnErrorKind.OriginTimeout or CdnErrorKind.OriginThrottled
                && stale is not null && _policy.CanServeStale(stale, _time.GetUtcNow()))
            {
                Log.ServingStale(_logger, key.Value, e.Kind, e.InnerException ?? e);
                _originFailures.RememberFailure(key.OriginalId);
                _counters.RecordStaleServed();
                return RenderOutcome.FromCache(stale, clock.Timings, stale: true);
            }
        }
    }

    /// <summary>
    /// The "lock" stage, every cache call before the fetch (with Redis, what a request spent on Redis): look again
    /// (another flight may have stored it after this request's lookup missed), refuse a known-missing original, take
    /// the render turn or get what another replica rendered meanwhile, and read the purge epoch before fetching, so a
    /// purge made while this render runs keeps its result from ever being served.
    /// </summary>
    private async ValueTask<Turn> TakeTurnAsync(RenditionKey key)
    {
        if (await FindFreshAsync(key).ConfigureAwait(false) is { } stored)
        {
            return new Turn(null, stored, PurgeEpoch.Unknown);
        }

        await ThrowIfKnownMissingAsync(key).ConfigureAwait(false);
        var turn = await _coordinator.AcquireAsync(key, () => FindFreshAsync(key), CancellationToken.None).ConfigureAwait(false);
        try
        {
            var ready = turn.ProducedElsewhere ?? (turn.Waited ? await FindFreshAsync(key).ConfigureAwait(false) : null);
            if (ready is not null)
            {
                await turn.DisposeAsync().ConfigureAwait(false);
                return new Turn(null, ready, PurgeEpoch.Unknown);
            }

            if (turn.Waited)
            {
                // The previous holder may have found the original missing.
                await ThrowIfKnownMissingAsync(key).ConfigureAwait(false);
            }

            return new Turn(turn, null, await _cache.ReadEpochAsync(key.OriginalId, CancellationToken.None).ConfigureAwait(false));
        }
        catch
        {
            await turn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Fetch → render on a worker → store, each timed.</summary>
    private async Task<Rendition> RenderAndStoreAsync(ResolvedRequest resolved, PurgeEpoch epoch, StageClock clock, string? client)
    {
        using var sources = await clock.TimeAsync("fetch", () => FetchSourcesAsync(resolved.Origin, resolved.Url, resolved.Plan, resolved.Key, epoch)).ConfigureAwait(false);
        var context = new RenderContext(_limits, resolved.Dpr).WithFiles(sources.Files);

        // Refused before the estimate and the render gate: an unsigned request for a private file costs a fetch, never a render.
        PrivateFiles.EnsureVisible(sources.Access, resolved.HasValidSignature);

        // Planned from the header before queueing: bombs and oversized plans are refused before the render waits, and
        // the estimate is what the render holds of the memory budget, and (with its CPU estimate) whether it waits in
        // the heavy lane. Read on a render thread ahead of the queue, not here on the pool: an SVG's header is the whole
        // document (a 20 MB one: ~2 s), and a pool thread held that long delays every timer of the process.
        using var original = sources.TakeOriginal();
        var planned = _time.GetTimestamp();
        // JPEG, PNG and WebP headers are read here, as before: a hop to a render thread and back would cost every
        // ordinary render two thread switches for a read of well under a millisecond.
        var cost = original.HasCheapHeader
            ? _renderer.Estimate(original, resolved.Plan, context)
            : await _gate.RunHeaderReadAsync(() => _renderer.Estimate(original, resolved.Plan, context), CancellationToken.None, client).ConfigureAwait(false);
        var rendered = await _gate.RunAsync(
            () =>
            {
                _counters.RecordRender();
                return _renderer.Render(original, resolved.Plan, context);
            },
            CancellationToken.None,
            cost.MemoryBytes,
            cost.Work,
            client).ConfigureAwait(false);
        // "queue": the estimate and the wait for a worker, what the render's own stages leave of the time since the fetch.
        var queued = _time.GetElapsedTime(planned) - rendered.DecodeAndTransform - rendered.Encode;
        clock.RecordConsecutive(new("queue", queued > TimeSpan.Zero ? queued : TimeSpan.Zero), new("render", rendered.DecodeAndTransform), new("encode", rendered.Encode));
        _metrics.RecordRender(rendered.DecodeAndTransform + rendered.Encode, FormatName(rendered.ContentType), FirstOperation(resolved.Plan));

        var rendition = Rendition.Create(rendered.Bytes, rendered.ContentType, _time.GetUtcNow(), sources.Access);
        using (clock.Start("store"))
        {
            await _cache.SetAsync(resolved.Key, rendition, epoch, CancellationToken.None).ConfigureAwait(false);
        }

        return rendition;
    }

    /// <summary>
    /// The original and the plan's merge images. A missing original is remembered as missing here; a missing merge
    /// image fails the request without marking the original (its own paths are remembered by the fetcher). An origin
    /// paused by its <c>Retry-After</c>, or an original that failed moments ago, fails at once, uncounted as a fetch.
    /// "Not found" is remembered under <paramref name="epoch"/> (read before the fetch): not at all when a purge came
    /// meanwhile, since an upload and its purge may have landed just after the origin answered.
    /// </summary>
    private async ValueTask<RenderSources> FetchSourcesAsync(IOriginStore origin, CdnUrl url, RenderPlan plan, RenditionKey key, PurgeEpoch epoch)
    {
        if (_cooldowns.Held(origin, url.FilePath) is { } held)
        {
            throw held;
        }

        _counters.RecordOriginFetch();
        var started = _time.GetTimestamp();
        var outcome = "error";
        try
        {
            var knownMissing = new KnownMissingFiles(_cache, url.Cloud, url.Zone, _policy.NegativeTtl, epoch with { Shared = null });
            var sources = await _sources.FetchAsync(origin, url.FilePath, plan, knownMissing, CancellationToken.None).ConfigureAwait(false);
            outcome = "ok";
            return sources;
        }
        catch (CdnException e) when (e.Kind == CdnErrorKind.OriginNotFound)
        {
            outcome = "not_found";
            await _cache.SetKnownMissingAsync(key.OriginalId, _policy.NegativeTtl, epoch, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        finally
        {
            _metrics.RecordFetch(_time.GetElapsedTime(started), origin.Kind, outcome);
        }
    }

    private async ValueTask ThrowIfKnownMissingAsync(RenditionKey key)
    {
        if (await _cache.IsKnownMissingAsync(key.OriginalId, CancellationToken.None).ConfigureAwait(false))
        {
            throw new CdnException(CdnErrorKind.OriginNotFound, "The original was not found");
        }
    }

    /// <summary>
    /// A stored rendition fresh enough to serve, or null. Not counted as a hit or a miss: the request's own lookup
    /// was counted already, and lock waiters poll this many times.
    /// </summary>
    private async ValueTask<Rendition?> FindFreshAsync(RenditionKey key) =>
        await _cache.PeekAsync(key, CancellationToken.None).ConfigureAwait(false) is { } found && _policy.IsFresh(found, _time.GetUtcNow())
            ? found
            : null;

    /// <summary>
    /// Every answer passes here, cached or rendered: a private rendition goes only to a signed URL (checked before
    /// the preconditions, so a 304 or 412 cannot confirm it either).
    /// </summary>
    private static ImageResponse Respond(ImageRequest request, ResolvedRequest resolved, RenderOutcome outcome, IReadOnlyList<StageTiming> timings)
    {
        PrivateFiles.EnsureVisible(outcome.Rendition.Access, resolved.HasValidSignature);
        return new(outcome.Rendition, request.IsNotModified(outcome.Rendition.ETag), outcome.CacheHit, timings)
        {
            VariesByAccept = resolved.VariesByAccept,
            FilePath = resolved.Url.FilePath,
            Stale = outcome.Stale,
            CacheableUntil = resolved.SignatureExpires,
        };
    }

    /// <summary><c>image/webp</c> → <c>webp</c>: the encoders' closed set of media types.</summary>
    private static string FormatName(string contentType) =>
        contentType.StartsWith("image/", StringComparison.Ordinal) ? contentType["image/".Length..] : contentType;

    private static string FirstOperation(RenderPlan plan) =>
        plan.Transformations.Count == 0 ? "none" : plan.Transformations[0].StepName;

    /// <summary>What one flight produced: the rendition and the stages it took.</summary>
    private sealed record RenderOutcome(Rendition Rendition, IReadOnlyList<StageTiming> Timings)
    {
        /// <summary>True when the rendition came from a cache instead of a render.</summary>
        public bool CacheHit { get; init; }

        /// <summary>True when a stale rendition is served because its origin failed.</summary>
        public bool Stale { get; init; }

        public static RenderOutcome FromCache(Rendition rendition, IReadOnlyList<StageTiming> timings, bool stale = false) =>
            new(rendition, timings) { CacheHit = true, Stale = stale };
    }

    /// <summary>The render turn taken (ours to render, with the epoch read for it), or a rendition ready elsewhere.</summary>
    private readonly record struct Turn(RenderTurn? Held, Rendition? Ready, PurgeEpoch Epoch);
}
