namespace CdnProxy.Core.Caching;

/// <summary>What one purge did, per tier.</summary>
/// <param name="Memory">Renditions removed from this process's in-process tier.</param>
/// <param name="SharedEpochRenewed">
/// True when the shared (Redis) tier's epoch of the original was renewed and the other replicas told; false when it
/// could not be reached (nothing was purged there); null without a shared tier.
/// </param>
public sealed record PurgeCounts(long Memory, bool? SharedEpochRenewed)
{
    /// <summary>False when a shared tier exists but the purge did not reach it.</summary>
    public bool Complete => SharedEpochRenewed is not false;
}
