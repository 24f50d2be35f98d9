namespace CdnProxy.Core.Transformations;

/// <summary>
/// One background thread that stops renders past their deadline. It is its own thread, not a timer on the .NET thread
/// pool: when the pool is short of threads (a burst of blocking work), pool timers run late, and a render that
/// should have been stopped would keep its worker for as long.
/// </summary>
public sealed class RenderWatchdog : IDisposable
{
    /// <summary>How often deadlines are checked, and a kill raised again (libvips clears it once reported).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    private readonly Lock _gate = new();
    private readonly HashSet<RenderDeadline> _deadlines = [];
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _thread;
    private volatile bool _stopping;

    public RenderWatchdog()
    {
        _thread = new Thread(Watch) { IsBackground = true, Name = "render-watchdog" };
        _thread.Start();
    }

    /// <summary>Deadlines being watched now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _deadlines.Count;
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        _thread.Join(TimeSpan.FromSeconds(5));
        _wake.Dispose();
    }

    internal void Add(RenderDeadline deadline)
    {
        lock (_gate)
        {
            _deadlines.Add(deadline);
        }

        _wake.Set();
    }

    internal void Remove(RenderDeadline deadline)
    {
        lock (_gate)
        {
            _deadlines.Remove(deadline);
        }
    }

    private void Watch()
    {
        while (!_stopping)
        {
            RenderDeadline[] watched;
            lock (_gate)
            {
                watched = [.. _deadlines];
            }

            if (watched.Length == 0)
            {
                _wake.WaitOne();
                continue;
            }

            foreach (var deadline in watched)
            {
                deadline.KillIfDue();
            }

            _wake.WaitOne(Interval);
        }
    }
}
