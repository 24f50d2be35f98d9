using CdnProxy.Core.Pipeline;
using CdnProxy.Vips;

namespace CdnProxy.Server.Hosting;

/// <summary>
/// Hands memory back to the system when renders stop: once the render gate has been idle for
/// <c>CdnProxy:Vips:TrimIdleMilliseconds</c> after some renders, glibc's heap is trimmed and the managed heap
/// compacted, once per quiet spell; and every 16 s while renders run, the C heap alone when it holds 128 MiB or more
/// free (libvips' idle worker threads free their buffers after 15 s). Measured in docs/benchmarks.md (abuse: RSS
/// after a storm).
/// </summary>
public sealed class MemoryTrimService : BackgroundService
{
    private readonly RenderGate _gate;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idle;
    private readonly ILogger<MemoryTrimService> _logger;

    // A little over libvips' 15 s idle-thread lifetime.
    private static readonly TimeSpan HeapTrimInterval = TimeSpan.FromSeconds(16);

    // While renders run, the C heap is trimmed only when it holds this much free: the renders right after a trim fault
    // their buffers in again (+40–60 ms for the next few 1249 px renders), which steady traffic's own churn (~60 MiB
    // free between 1249 px renders) must not pay; what a storm leaves behind is far more.
    private const long BusyTrimFreeBytes = 128L * 1024 * 1024;

    public MemoryTrimService(RenderGate gate, CdnProxyOptions options, TimeProvider time, ILogger<MemoryTrimService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _gate = gate;
        _time = time;
        _idle = TimeSpan.FromMilliseconds(Math.Max(0, options.Vips.TrimIdleMilliseconds));
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_idle <= TimeSpan.Zero)
        {
            return;
        }

        var trimmedAt = _gate.Completed;
        var heapTrimmedAt = trimmedAt;
        var seen = trimmedAt;
        var quietSince = _time.GetTimestamp();
        var heapTrimmed = quietSince;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(100, _idle.TotalMilliseconds / 4)), _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var completed = _gate.Completed;

            // libvips' idle worker threads exit after 15 s and free their buffers then, busy or not: the C heap is
            // trimmed on that rhythm too (cheap: no managed collection).
            if (completed != heapTrimmedAt && _time.GetElapsedTime(heapTrimmed) >= HeapTrimInterval)
            {
                (heapTrimmedAt, heapTrimmed) = (completed, _time.GetTimestamp());
                if ((NativeHeap.FreeBytes() ?? long.MaxValue) >= BusyTrimFreeBytes)
                {
                    _ = NativeHeap.Trim();
                }
            }

            if (completed != seen || _gate.Running > 0)
            {
                (seen, quietSince) = (completed, _time.GetTimestamp());
                continue;
            }

            if (completed != trimmedAt && _time.GetElapsedTime(quietSince) >= _idle)
            {
                trimmedAt = completed;
                Trim();
            }
        }
    }

    private void Trim()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var returned = NativeHeap.Trim();
        ServerLog.MemoryTrimmed(_logger, returned, Environment.WorkingSet / 1_048_576);
    }
}
