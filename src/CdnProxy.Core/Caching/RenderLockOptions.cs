namespace CdnProxy.Core.Caching;

/// <summary>Timing of the cross-replica render lock.</summary>
public sealed record RenderLockOptions
{
    /// <summary>Lock lifetime: a holder that dies or hangs loses the lock after this long.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest a request waits for another replica's render before rendering itself.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How often a waiter looks for the rendition (and whether the lock is still held).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Renditions larger than this are not stored in the shared tier: after rendering one, the holder leaves a "not
    /// shared" marker (for <see cref="Ttl"/>) so waiters render at once, in parallel, instead of one after another.
    /// </summary>
    public long MaxSharedBytes { get; init; } = long.MaxValue;
}
