namespace CdnProxy.Core.Transformations;

/// <summary>
/// Stops a render inside libvips when its time is up. Each source image the render opens is watched: libvips then
/// checks its kill flag in every image computed from it, at every region it computes, so the work stops within a
/// tile's time and the worker is free again. The <see cref="RenderWatchdog"/> raises the flag at the deadline and
/// again on each of its rounds until the render ends, because libvips clears it once it has reported it.
/// </summary>
public sealed class RenderDeadline : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<VipsImage> _watched = [];
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly RenderWatchdog? _watchdog;
    private bool _expired;
    private bool _disposed;

    /// <summary>
    /// Starts the clock: the render may run for <paramref name="timeout"/>; with no <paramref name="watchdog"/>, or an
    /// infinite timeout, it is never stopped.
    /// </summary>
    public RenderDeadline(TimeSpan timeout, TimeProvider time, RenderWatchdog? watchdog)
    {
        ArgumentNullException.ThrowIfNull(time);
        Timeout = timeout;
        _time = time;
        _started = time.GetTimestamp();
        if (watchdog is not null && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            _watchdog = watchdog;
            watchdog.Add(this);
        }
    }

    /// <summary>The time the render was given.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>True once the render ran out of time.</summary>
    public bool Expired
    {
        get
        {
            lock (_gate)
            {
                return _expired;
            }
        }
    }

    /// <summary>
    /// Watches <paramref name="source"/>, a freshly opened image that nothing has been computed from yet: every image
    /// made from it afterwards stops when the deadline passes.
    /// </summary>
    public void Watch(VipsImage source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (_watchdog is null)
        {
            return; // never stopped: nothing to link
        }

        // libvips passes an image's progress link on to the images built from it and checks the linked image's kill
        // flag with their own; a copy made now carries the link, so killing the copy stops them all.
        source.SetProgress(true);
        var handle = source.Copy();
        lock (_gate)
        {
            if (_disposed)
            {
                handle.Dispose();
                return;
            }

            _watched.Add(handle);
            if (_expired)
            {
                handle.SetKill(true);
            }
        }
    }

    /// <summary>
    /// Computes <paramref name="image"/> into memory and watches the copy. libvips does not pass the kill link on to
    /// an image copied into memory, so without this every image built from the copy would run past the deadline.
    /// </summary>
    public static VipsImage InMemory(VipsImage image, RenderDeadline? deadline)
    {
        ArgumentNullException.ThrowIfNull(image);
        var copy = image.CopyMemory();
        deadline?.Watch(copy);
        return copy;
    }

    /// <summary>Throws the render timeout when the time is up (checked between steps, and when libvips reports a kill).</summary>
    public void ThrowIfExpired()
    {
        if (Expired)
        {
            throw TimedOut(null);
        }
    }

    /// <summary>The public error for a render stopped by its deadline.</summary>
    public static CdnException TimedOut(Exception? cause) =>
        new(CdnErrorKind.RenderTimeout, "The image took too long to render", cause);

    public void Dispose()
    {
        _watchdog?.Remove(this);
        lock (_gate)
        {
            _disposed = true;
            foreach (var handle in _watched)
            {
                handle.Dispose();
            }

            _watched.Clear();
        }
    }

    /// <summary>Called by the watchdog: past the deadline, raises the kill flag of every watched image (again).</summary>
    internal void KillIfDue()
    {
        if (_time.GetElapsedTime(_started) < Timeout)
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _expired = true;
            foreach (var handle in _watched)
            {
                handle.SetKill(true);
            }
        }
    }
}
