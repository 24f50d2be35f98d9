using System.Collections.Concurrent;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Core.Origins;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// Keeps requests off an origin that is failing or asked us to slow down, so a burst costs the origin one call, not
/// one per request. Two memories, both of this process only (each replica learns on its own first call):
/// <list type="bullet">
/// <item>an origin that answered 429 or 503 with <c>Retry-After</c> is paused until then (at most
/// <see cref="RenditionCachePolicy.MaxOriginRetryAfter"/>): every fetch from it answers
/// <see cref="CdnErrorKind.OriginThrottled"/> with the time left, without calling it;</item>
/// <item>a file whose fetch failed (5xx, timeout, connection failure) answers the same error for
/// <see cref="RenditionCachePolicy.FailedFetchTtl"/>, without calling the origin.</item>
/// </list>
/// Bounded: past <see cref="Capacity"/> failed files it starts afresh (forgetting only costs one more origin call).
/// </summary>
public sealed class OriginCooldowns
{
    public const int Capacity = 10_000;

    private const string ThrottledMessage = "The origin asked us to retry later";

    private readonly ConcurrentDictionary<IOriginStore, DateTimeOffset> _pausedUntil = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<(IOriginStore Origin, string Path), FailedFetch> _failed = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _failedFetchTtl;
    private readonly TimeSpan _maxRetryAfter;
    private readonly ILogger _logger;
    private readonly CdnProxyCounters? _counters;

    public OriginCooldowns(TimeProvider time, RenditionCachePolicy policy, ILogger<OriginCooldowns>? logger = null, CdnProxyCounters? counters = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _time = time;
        _failedFetchTtl = policy.FailedFetchTtl;
        _maxRetryAfter = policy.MaxOriginRetryAfter;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _counters = counters;
    }

    /// <summary>
    /// The error a fetch of <paramref name="path"/> from <paramref name="origin"/> answers now without calling it
    /// (the origin is paused, or this file failed moments ago), or null: the origin may be asked. Each request held is
    /// counted here (<c>originHeld</c>), whichever path asked: renders, merge images, <c>?info</c>, stored files.
    /// </summary>
    public CdnException? Held(IOriginStore origin, string path)
    {
        var held = Holding(origin, path);
        if (held is not null)
        {
            _counters?.RecordOriginHeld();
        }

        return held;
    }

    private CdnException? Holding(IOriginStore origin, string path)
    {
        var now = _time.GetUtcNow();
        if (_pausedUntil.TryGetValue(origin, out var pausedUntil))
        {
            if (now < pausedUntil)
            {
                return Throttled(pausedUntil - now, null);
            }

            _pausedUntil.TryRemove(KeyValuePair.Create(origin, pausedUntil));
        }

        var key = (origin, path);
        if (_failed.TryGetValue(key, out var failed))
        {
            if (now < failed.Until)
            {
                return new CdnException(failed.Kind, failed.Message);
            }

            _failed.TryRemove(KeyValuePair.Create(key, failed));
        }

        return null;
    }

    /// <summary>
    /// Reads <paramref name="path"/> from <paramref name="origin"/> unless it is <see cref="Held"/>, remembering a
    /// failure or a pause the origin asks for.
    /// </summary>
    public Task<OriginObject?> FetchAsync(IOriginStore origin, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return CallAsync(origin, path, token => origin.FetchAsync(path, token), cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="call"/>, which reaches <paramref name="origin"/> for <paramref name="path"/> (a fetch, or a
    /// stored file's relay), unless the file or the origin is <see cref="Held"/>; a failure it meets holds the file for
    /// a few seconds, a 429/503 with <c>Retry-After</c> pauses the origin (capped; the answer is then the capped wait).
    /// </summary>
    public async Task<T> CallAsync<T>(IOriginStore origin, string path, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(call);
        if (Held(origin, path) is { } held)
        {
            throw held;
        }

        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (CdnException e) when (e.Kind == CdnErrorKind.OriginThrottled)
        {
            throw Pause(origin, path, e);
        }
        catch (CdnException e) when (e.Kind is CdnErrorKind.OriginFailed or CdnErrorKind.OriginTimeout)
        {
            RememberFailure(origin, path, e);
            throw;
        }
    }

    /// <summary>
    /// Forgets a failed fetch of <paramref name="path"/> from <paramref name="origin"/>: the file was just stored or
    /// purged there, so its next request asks the origin again instead of repeating an error from before the change.
    /// Only that origin's: a purge in one cloud must not make another tenant's failing origin be asked again. A pause
    /// stays: it is the origin's, not the file's.
    /// </summary>
    public void Forget(IOriginStore origin, string path)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(path);
        _failed.TryRemove((origin, path), out _);
    }

    /// <summary>Pauses <paramref name="origin"/> for its <c>Retry-After</c> (capped); not honoured, the answer is a plain failure.</summary>
    private CdnException Pause(IOriginStore origin, string path, CdnException throttled)
    {
        var wait = throttled.RetryAfter is { } asked ? (asked < _maxRetryAfter ? asked : _maxRetryAfter) : TimeSpan.Zero;
        if (wait <= TimeSpan.Zero)
        {
            var failed = new CdnException(CdnErrorKind.OriginFailed, "The original could not be fetched", throttled.InnerException)
            {
                CauseLogged = throttled.CauseLogged,
            };
            RememberFailure(origin, path, failed);
            return failed;
        }

        var until = _time.GetUtcNow() + wait;
        _pausedUntil.AddOrUpdate(origin, until, (_, current) => current > until ? current : until);
        Log.OriginPaused(_logger, origin.ToString() ?? origin.Kind, wait.TotalSeconds);
        return Throttled(wait, throttled.InnerException);
    }

    private void RememberFailure(IOriginStore origin, string path, CdnException failure)
    {
        if (_failedFetchTtl <= TimeSpan.Zero)
        {
            return;
        }

        if (_failed.Count >= Capacity)
        {
            _failed.Clear();
        }

        _failed[(origin, path)] = new FailedFetch(_time.GetUtcNow() + _failedFetchTtl, failure.Kind, failure.Message);
    }

    private static CdnException Throttled(TimeSpan left, Exception? cause) =>
        new(CdnErrorKind.OriginThrottled, ThrottledMessage, cause) { RetryAfter = left, CauseLogged = true };

    /// <summary>A failed fetch as its next requests answer it: the same kind and public message.</summary>
    private sealed record FailedFetch(DateTimeOffset Until, CdnErrorKind Kind, string Message);
}
