namespace CdnProxy.Core.Caching;

/// <summary>
/// Short-lived render locks shared by every replica (Redis). Every method answers null when the store cannot be
/// reached in time: callers then render without a lock rather than wait.
/// </summary>
public interface IRenderLockStore
{
    /// <summary>Takes the lock for <paramref name="ttl"/> if nobody holds it: true when taken, false when held by another.</summary>
    ValueTask<bool?> TryAcquireAsync(string lockName, string token, TimeSpan ttl);

    /// <summary>Releases the lock only if it is still held with <paramref name="token"/> (it may have expired and been retaken).</summary>
    ValueTask ReleaseAsync(string lockName, string token);

    /// <summary>
    /// Replaces the lock, if still held with <paramref name="token"/>, by a "not shared" marker living
    /// <paramref name="ttl"/>: the rendition was too large for the shared tier, so waiters must not wait for it.
    /// </summary>
    ValueTask MarkNotSharedAsync(string lockName, string token, TimeSpan ttl);

    /// <summary>Whether the lock is free, held, or replaced by a "not shared" marker.</summary>
    ValueTask<RenderLockState?> GetStateAsync(string lockName);
}
