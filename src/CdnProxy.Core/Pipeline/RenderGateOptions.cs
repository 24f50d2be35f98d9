namespace CdnProxy.Core.Pipeline;

/// <summary>Bounds on concurrent renders, bound from <c>CdnProxy:Render</c>.</summary>
public sealed record RenderGateOptions
{
    /// <summary>Renders running at once; 0 means one per processor core.</summary>
    public int Workers { get; init; }

    /// <summary>Renders allowed to wait for a worker; beyond that requests get 503.</summary>
    public int QueueLimit { get; init; } = 64;

    /// <summary>Seconds a client is told to wait (Retry-After) when the queue is full.</summary>
    public int RetryAfterSeconds { get; init; } = 1;
}
