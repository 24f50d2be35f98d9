namespace CdnProxy.Core.Diagnostics;

/// <summary>The values of <see cref="CdnProxyCounters"/> at one moment.</summary>
public sealed record CounterSnapshot(
    long Renders,
    long OriginFetches,
    long MemoryHits,
    long RedisHits,
    long Misses,
    long NegativeHits,
    long RedisErrors,
    long RedisSkipped,
    long LockWaits,
    long LockTimeouts,
    long StaleServed,
    long Purges,
    long OriginHeld);
