namespace CdnProxy.Core.Caching;

/// <summary>Renditions removed by one purge, per tier.</summary>
/// <param name="Memory">From this process's in-process tier.</param>
/// <param name="Shared">From the shared (Redis) tier; null when it could not be reached, so other replicas were not told.</param>
public sealed record PurgeCounts(long Memory, long? Shared);
