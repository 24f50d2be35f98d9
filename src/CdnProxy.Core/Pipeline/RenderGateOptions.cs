namespace CdnProxy.Core.Pipeline;

/// <summary>Bounds on concurrent renders, bound from <c>CdnProxy:Render</c>.</summary>
public sealed record RenderGateOptions
{
    /// <summary>
    /// Renders running at once; 0 means two per processor core: a render's own thread mostly waits while libvips'
    /// worker computes, so one per core left a core idle between stages (measured: 115 → 142 req/s on 2 cores).
    /// </summary>
    public int Workers { get; init; }

    /// <summary>
    /// Heavy renders running at once, at most; 0 means half the workers (at least one). The rest stay free for
    /// ordinary renders while a burst of heavy ones waits.
    /// </summary>
    public int HeavyWorkers { get; init; }

    /// <summary>A render whose estimated memory (planned from the source's header) reaches this many bytes is heavy.</summary>
    public long HeavyRenderBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Renders allowed to wait for a worker; beyond that requests get 503.</summary>
    public int QueueLimit { get; init; } = 64;

    /// <summary>
    /// Longest a render may wait for a worker, in milliseconds; then the request gets 503 at once instead of waiting
    /// for a slot that a burst of slow renders may not free for seconds. 0 waits as long as it takes.
    /// </summary>
    public int QueueTimeoutMilliseconds { get; init; } = 3000;

    /// <summary><see cref="QueueTimeoutMilliseconds"/> as a time span (infinite for 0).</summary>
    public TimeSpan MaxQueueWait => QueueTimeoutMilliseconds > 0 ? TimeSpan.FromMilliseconds(QueueTimeoutMilliseconds) : Timeout.InfiniteTimeSpan;

    /// <summary>Seconds a client is told to wait (Retry-After) when the queue is full.</summary>
    public int RetryAfterSeconds { get; init; } = 1;
}
