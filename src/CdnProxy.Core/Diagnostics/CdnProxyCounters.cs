using System.Diagnostics.Metrics;

namespace CdnProxy.Core.Diagnostics;

/// <summary>
/// Exact per-process counters (read by <c>GET /api/v1/stats</c>), each mirrored by an instrument of the
/// <c>CdnProxy</c> meter for metrics exporters.
/// </summary>
public sealed class CdnProxyCounters : IDisposable
{
    public const string MeterName = "CdnProxy";

    private readonly Meter _meter;
    private readonly Counter<long> _renders;
    private readonly Counter<long> _originFetches;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _redisErrors;
    private readonly Counter<long> _lockWaits;
    private readonly Counter<long> _staleServed;
    private readonly Counter<long> _purges;
    private readonly Counter<long> _originHeld;
    private long _rendersCount;
    private long _originFetchesCount;
    private long _memoryHits;
    private long _redisHits;
    private long _misses;
    private long _negativeHits;
    private long _redisErrorsCount;
    private long _redisSkipped;
    private long _lockWaitsCount;
    private long _lockTimeouts;
    private long _staleServedCount;
    private long _purgesCount;
    private long _originHeldCount;

    public CdnProxyCounters(IMeterFactory? meters = null)
    {
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _renders = _meter.CreateCounter<long>("cdnproxy.renders", description: "Renders run");
        _originFetches = _meter.CreateCounter<long>("cdnproxy.origin.fetches", description: "Originals fetched");
        _cacheHits = _meter.CreateCounter<long>("cdnproxy.rendition.cache.hits", description: "Rendition cache hits by tier");
        _cacheMisses = _meter.CreateCounter<long>("cdnproxy.rendition.cache.misses", description: "Rendition lookups found in no tier");
        _redisErrors = _meter.CreateCounter<long>("cdnproxy.redis.errors", description: "Redis calls that failed or timed out");
        _lockWaits = _meter.CreateCounter<long>("cdnproxy.render.lock.waits", description: "Renders waited for another replica's render lock");
        _staleServed = _meter.CreateCounter<long>("cdnproxy.rendition.stale_served", description: "Stale renditions served because the origin failed");
        _purges = _meter.CreateCounter<long>("cdnproxy.purges", description: "Purge requests handled");
        _originHeld = _meter.CreateCounter<long>(
            "cdnproxy.origin.held", description: "Origin fetches not made: the origin asked us to wait, or this original failed moments ago");
    }

    public void RecordRender() => Add(ref _rendersCount, _renders);

    public void RecordOriginFetch() => Add(ref _originFetchesCount, _originFetches);

    public void RecordMemoryHit() => Add(ref _memoryHits, _cacheHits, "memory");

    public void RecordRedisHit() => Add(ref _redisHits, _cacheHits, "redis");

    public void RecordMiss() => Add(ref _misses, _cacheMisses);

    public void RecordNegativeHit() => Add(ref _negativeHits, _cacheHits, "negative");

    public void RecordRedisError() => Add(ref _redisErrorsCount, _redisErrors);

    /// <summary>A Redis call not attempted because the circuit breaker was open.</summary>
    public void RecordRedisSkipped() => Interlocked.Increment(ref _redisSkipped);

    public void RecordLockWait() => Add(ref _lockWaitsCount, _lockWaits);

    /// <summary>A waiter gave up on another replica's lock and rendered itself.</summary>
    public void RecordLockTimeout() => Interlocked.Increment(ref _lockTimeouts);

    public void RecordStaleServed() => Add(ref _staleServedCount, _staleServed);

    public void RecordPurge() => Add(ref _purgesCount, _purges);

    /// <summary>A fetch answered from <c>OriginCooldowns</c> without calling the origin.</summary>
    public void RecordOriginHeld() => Add(ref _originHeldCount, _originHeld);

    public CounterSnapshot Snapshot() => new(
        Renders: Interlocked.Read(ref _rendersCount),
        OriginFetches: Interlocked.Read(ref _originFetchesCount),
        MemoryHits: Interlocked.Read(ref _memoryHits),
        RedisHits: Interlocked.Read(ref _redisHits),
        Misses: Interlocked.Read(ref _misses),
        NegativeHits: Interlocked.Read(ref _negativeHits),
        RedisErrors: Interlocked.Read(ref _redisErrorsCount),
        RedisSkipped: Interlocked.Read(ref _redisSkipped),
        LockWaits: Interlocked.Read(ref _lockWaitsCount),
        LockTimeouts: Interlocked.Read(ref _lockTimeouts),
        StaleServed: Interlocked.Read(ref _staleServedCount),
        Purges: Interlocked.Read(ref _purgesCount),
        OriginHeld: Interlocked.Read(ref _originHeldCount));

    public void Dispose() => _meter.Dispose();

    private static void Add(ref long count, Counter<long> instrument, string? tier = null)
    {
        Interlocked.Increment(ref count);
        if (tier is null)
        {
            instrument.Add(1);
        }
        else
        {
            instrument.Add(1, new KeyValuePair<string, object?>("tier", tier));
        }
    }
}
