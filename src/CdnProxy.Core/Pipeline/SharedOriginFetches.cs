using CdnProxy.Core.Origins;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// Concurrent fetches of one file from one origin share a single read: a page's <c>srcset</c> (or a client varying
/// <c>w</c>) asks for many renditions of one original at once, and each would otherwise download it and hold its own
/// copy. Every caller gets its own lease on the shared bytes; the last lease returned frees them. Only fetches in
/// flight are shared: nothing is kept once the read ends, and a later request reads again (unless
/// <see cref="OriginCooldowns"/>, when given, holds it back because the read failed or the origin asked to wait).
/// With <paramref name="purgeGeneration"/>, a fetch begun after a purge (an overwrite upload) never joins a read begun
/// before it: that read may hold the former file.
/// </summary>
public sealed class SharedOriginFetches(OriginCooldowns? cooldowns = null, Func<long>? purgeGeneration = null)
{
    private readonly Dictionary<(IOriginStore Origin, string Path, long Generation), SharedFetch> _inFlight = [];

    /// <summary>In flight right now (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_inFlight)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <summary>
    /// The file at <paramref name="path"/> as <paramref name="origin"/> has it (null when missing), read once for all
    /// concurrent callers. The read itself is not cancelled by one caller giving up: others may wait on it.
    /// </summary>
    public async Task<OriginObject?> FetchAsync(IOriginStore origin, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(path);
        var key = (origin, path, purgeGeneration?.Invoke() ?? 0);
        SharedFetch fetch;
        var starts = false;
        lock (_inFlight)
        {
            if (!_inFlight.TryGetValue(key, out fetch!))
            {
                fetch = new SharedFetch();
                _inFlight[key] = fetch;
                starts = true;
            }

            fetch.Join();
        }

        if (starts)
        {
            var read = cooldowns is null ? origin.FetchAsync(path, CancellationToken.None) : cooldowns.FetchAsync(origin, path, CancellationToken.None);
            fetch.Start(read, () =>
            {
                lock (_inFlight)
                {
                    _inFlight.Remove(key);
                }
            });
        }

        OriginObject? shared;
        try
        {
            shared = await fetch.Result.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            fetch.Leave();
            throw;
        }

        if (shared is null)
        {
            fetch.Leave();
            return null;
        }

        return OriginObject.Lease(shared, fetch.Leave);
    }

    /// <summary>One read and the callers holding it; the object is disposed when the read has ended and all have left.</summary>
    private sealed class SharedFetch
    {
        private readonly TaskCompletionSource<OriginObject?> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();
        private int _holders;
        private bool _ended;

        public Task<OriginObject?> Result => _result.Task;

        public void Join()
        {
            lock (_gate)
            {
                _holders++;
            }
        }

        public void Leave()
        {
            lock (_gate)
            {
                _holders--;
                FreeIfUnheld();
            }
        }

        public void Start(Task<OriginObject?> read, Action onEnded)
        {
            read.ContinueWith(
                completed =>
                {
                    // Removed before the result is published: a caller arriving now starts a fresh read rather than
                    // joining one whose bytes may be freed.
                    onEnded();
                    lock (_gate)
                    {
                        _ended = true;
                        if (completed.IsCompletedSuccessfully)
                        {
                            _result.SetResult(completed.Result);
                            FreeIfUnheld();
                        }
                        else if (completed.Exception is { } failure)
                        {
                            _result.SetException(failure.InnerExceptions);
                        }
                        else
                        {
                            _result.SetCanceled();
                        }
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        private void FreeIfUnheld()
        {
            if (_ended && _holders == 0 && _result.Task.IsCompletedSuccessfully)
            {
                _result.Task.Result?.Dispose();
            }
        }
    }
}
