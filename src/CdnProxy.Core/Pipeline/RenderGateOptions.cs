namespace CdnProxy.Core.Pipeline;

/// <summary>Bounds on concurrent renders, bound from <c>CdnProxy:Render</c>.</summary>
public sealed record RenderGateOptions
{
    /// <summary>
    /// Renders running at once; 0 means one per processor core plus one. libvips' threads adapt to the renders
    /// running, so more renders at once mostly hold more memory; the extra one lets half the workers (rounded up) run
    /// heavy renders — whose decoders are single-threaded — on every core of a small machine while a slot stays free
    /// for ordinary ones. A/B on 2 cores, same minutes: PNG with alpha, 4 connections, peak RSS 374 MiB (3 workers)
    /// against 419 MiB (4) at the same req/s; 16 MP progressive JPEG 12.1 req/s (3 workers, 2 heavy) against 9.2 (2, 1).
    /// </summary>
    public int Workers { get; set; }

    /// <summary>
    /// Heavy renders running at once, at most; 0 means half the workers, rounded up. The rest stay free for
    /// ordinary renders while a burst of heavy ones waits.
    /// </summary>
    public int HeavyWorkers { get; set; }

    /// <summary>A render whose estimated memory (planned from the source's header) reaches this many bytes is heavy.</summary>
    public long HeavyRenderBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// A render whose estimated CPU time (planned from the source's header, see <c>RenderWork</c>) reaches this many
    /// milliseconds is heavy too: a few requests for slow chains of steps would otherwise take every worker.
    /// </summary>
    public int HeavyRenderMilliseconds { get; set; } = 500;

    /// <summary>Renders allowed to wait for a worker; beyond that requests get 503.</summary>
    public int QueueLimit { get; set; } = 64;

    /// <summary>
    /// Longest a render may wait for a worker, in milliseconds; then the request gets 503 at once instead of waiting
    /// for a slot that a burst of slow renders may not free for seconds. 0 waits as long as it takes.
    /// </summary>
    public int QueueTimeoutMilliseconds { get; set; } = 3000;

    /// <summary><see cref="QueueTimeoutMilliseconds"/> as a time span (infinite for 0).</summary>
    public TimeSpan MaxQueueWait => QueueTimeoutMilliseconds > 0 ? TimeSpan.FromMilliseconds(QueueTimeoutMilliseconds) : Timeout.InfiniteTimeSpan;

    /// <summary>Seconds a client is told to wait (Retry-After) when the queue is full.</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}
