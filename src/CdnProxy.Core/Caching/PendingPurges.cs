using CdnProxy.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CdnProxy.Core.Caching;

/// <summary>
/// The originals whose shared-tier purge did not happen (the shared tier was unreachable, or its breaker open), retried
/// in the background until the shared tier confirms them: otherwise the renditions of a replaced file would be served
/// from the shared tier, under the old epoch, for the rest of their TTL once it is reachable again.
/// </summary>
/// <remarks>
/// Per process and in memory only: a replica that stops loses its pending purges. An id is kept once (purged again, it
/// moves to the back); past <see cref="Capacity"/> the oldest is dropped. A failed attempt waits
/// <see cref="FirstDelay"/>, doubling up to <see cref="MaxDelay"/>, before the next pass; a pass stops at the first
/// failure, since the shared tier is then unreachable for every id.
/// </remarks>
public sealed class PendingPurges
{
    public const int DefaultCapacity = 10_000;

    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly ISharedRenditionCache _shared;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    // Oldest first; an entry's version tells a confirmed attempt from a purge that failed again meanwhile.
    private readonly LinkedList<(string OriginalId, long Version)> _order = new();
    private readonly Dictionary<string, LinkedListNode<(string OriginalId, long Version)>> _entries = new(StringComparer.Ordinal);
    private long _nextVersion;
    private long _dropped;
    private bool _droppedLogged;
    private TimeSpan _delay = FirstDelay;
    private DateTimeOffset _nextAttempt;
    private TaskCompletionSource _added = NewSignal();

    public PendingPurges(ISharedRenditionCache shared, TimeProvider time, ILogger logger, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _shared = shared;
        _time = time;
        _logger = logger;
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Originals waiting for their shared purge.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Originals dropped unpurged because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>When the next pass is due (meaningful while <see cref="Count"/> is not zero).</summary>
    public DateTimeOffset NextAttempt
    {
        get
        {
            lock (_gate)
            {
                return _nextAttempt;
            }
        }
    }

    /// <summary>Remembers that <paramref name="originalId"/>'s shared purge did not happen. Never waits.</summary>
    public void Add(string originalId)
    {
        ArgumentNullException.ThrowIfNull(originalId);
        lock (_gate)
        {
            if (_entries.Remove(originalId, out var existing))
            {
                _order.Remove(existing);
            }
            else if (_entries.Count >= Capacity)
            {
                var oldest = _order.First!;
                _order.RemoveFirst();
                _entries.Remove(oldest.Value.OriginalId);
                Interlocked.Increment(ref _dropped);
                if (!_droppedLogged)
                {
                    _droppedLogged = true;
                    Log.PendingPurgeDropped(_logger, Capacity, oldest.Value.OriginalId);
                }
            }

            if (_entries.Count == 0)
            {
                _delay = FirstDelay;
                _nextAttempt = _time.GetUtcNow() + FirstDelay;
                Log.PendingPurgesStarted(_logger, originalId);
            }

            _entries[originalId] = _order.AddLast((originalId, ++_nextVersion));
            _added.TrySetResult();
        }
    }

    /// <summary>
    /// Retries every pending purge, oldest first, when a pass is due; stops at the first failure and backs off.
    /// True when a pass ran.
    /// </summary>
    public async Task<bool> RetryDueAsync(CancellationToken cancellationToken)
    {
        List<(string OriginalId, long Version)> due;
        lock (_gate)
        {
            if (_entries.Count == 0 || _time.GetUtcNow() < _nextAttempt)
            {
                return false;
            }

            due = [.. _order];
        }

        var confirmed = 0;
        foreach (var (originalId, version) in due)
        {
            if (!await _shared.TryPurgeAsync(originalId, cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    _delay = TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, MaxDelay.Ticks));
                    _nextAttempt = _time.GetUtcNow() + _delay;
                }

                return true;
            }

            confirmed++;
            lock (_gate)
            {
                // Purged again while this attempt ran: that later purge is still owed.
                if (_entries.TryGetValue(originalId, out var node) && node.Value.Version == version)
                {
                    _entries.Remove(originalId);
                    _order.Remove(node);
                }
            }
        }

        lock (_gate)
        {
            _delay = FirstDelay;
            _nextAttempt = _time.GetUtcNow() + FirstDelay;
            if (_entries.Count == 0)
            {
                _droppedLogged = false;
                Log.PendingPurgesDrained(_logger, confirmed, Dropped);
            }
        }

        return true;
    }

    /// <summary>Runs passes as they fall due until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Task wait;
            lock (_gate)
            {
                if (_entries.Count == 0)
                {
                    if (_added.Task.IsCompleted)
                    {
                        _added = NewSignal();
                    }

                    wait = _added.Task.WaitAsync(cancellationToken);
                }
                else
                {
                    var until = _nextAttempt - _time.GetUtcNow();
                    wait = until > TimeSpan.Zero ? Task.Delay(until, _time, cancellationToken) : Task.CompletedTask;
                }
            }

            try
            {
                await wait.ConfigureAwait(false);
                await RetryDueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
