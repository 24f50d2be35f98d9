using CdnProxy.Core.Diagnostics;

namespace CdnProxy.Core.Caching;

/// <summary>
/// Across replicas, one render per rendition key: the first replica takes a short lock and renders; the others poll
/// for the stored rendition for a bounded time. A waiter renders itself when the lock vanishes without a rendition
/// (retaking it first), at once when the holder left a "not shared" marker (its rendition was too large for the shared
/// tier), when the wait bound passes (a stuck holder), or when the lock store is unreachable.
/// Without a lock store every request renders at once (one process: <see cref="KeyedSingleFlight{T}"/> suffices).
/// </summary>
public sealed class RenderCoordinator
{
    private readonly IRenderLockStore? _locks;
    private readonly RenderLockOptions _options;
    private readonly CdnProxyCounters _counters;
    private readonly TimeProvider _time;

    public RenderCoordinator(IRenderLockStore? locks, RenderLockOptions options, CdnProxyCounters counters, TimeProvider time)
    {
        _locks = locks;
        _options = options;
        _counters = counters;
        _time = time;
    }

    /// <summary>True when <paramref name="rendition"/> is too large for the shared tier (see <see cref="RenderLockOptions.MaxSharedBytes"/>).</summary>
    public bool IsTooLargeToShare(Rendition rendition)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        return rendition.Bytes.Length > _options.MaxSharedBytes;
    }

    /// <summary>A coordinator for a single process: every caller renders.</summary>
    public static RenderCoordinator Local { get; } = new(null, new RenderLockOptions(), new CdnProxyCounters(), TimeProvider.System);

    /// <summary>
    /// Waits for the right to render <paramref name="key"/>, or for another replica's result, found by
    /// <paramref name="findStored"/> (which must return only renditions fresh enough to serve).
    /// </summary>
    public async Task<RenderTurn> AcquireAsync(RenditionKey key, Func<ValueTask<Rendition?>> findStored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(findStored);
        if (_locks is null)
        {
            return RenderTurn.Render();
        }

        var lockName = "lock:" + key.Value;
        var token = Guid.NewGuid().ToString("N");
        var deadline = _time.GetUtcNow() + _options.MaxWait;
        var waited = false;
        while (true)
        {
            var acquired = await _locks.TryAcquireAsync(lockName, token, _options.Ttl).ConfigureAwait(false);
            if (acquired is null)
            {
                return RenderTurn.Render();
            }

            if (acquired.Value)
            {
                var (locks, markerTtl) = (_locks, _options.Ttl);
                return RenderTurn.Render(
                    notShared => notShared ? locks.MarkNotSharedAsync(lockName, token, markerTtl) : locks.ReleaseAsync(lockName, token),
                    waited);
            }

            if (!waited)
            {
                waited = true;
                _counters.RecordLockWait();
            }

            // Another replica renders: wait for its rendition while it still holds the lock.
            while (true)
            {
                if (_time.GetUtcNow() >= deadline)
                {
                    _counters.RecordLockTimeout();
                    return RenderTurn.Render(waited: true);
                }

                await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
                if (await findStored().ConfigureAwait(false) is { } stored)
                {
                    return RenderTurn.Ready(stored);
                }

                var state = await _locks.GetStateAsync(lockName).ConfigureAwait(false);
                if (state is null or RenderLockState.NotShared)
                {
                    return RenderTurn.Render(waited: true);
                }

                if (state == RenderLockState.Free)
                {
                    break; // The holder finished without storing (or its lock expired): try to take over.
                }
            }
        }
    }
}
