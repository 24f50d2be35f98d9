using CdnProxy.Core.Diagnostics;

namespace CdnProxy.Core.Caching;

/// <summary>
/// The in-process tier in front of an optional shared tier (Redis). A shared hit fills the in-process tier; a stale
/// in-process copy does not hide a fresher shared one; purges made by any replica empty this process's tier.
/// The shared tier fails open (a failing call is a miss), so this class never fails a request.
/// </summary>
public sealed class TieredRenditionCache : IRenditionCache
{
    private readonly MemoryRenditionCache _memory;
    private readonly ISharedRenditionCache? _shared;
    private readonly RenditionCachePolicy _policy;
    private readonly CdnProxyCounters _counters;
    private readonly TimeProvider _time;

    public TieredRenditionCache(
        MemoryRenditionCache memory,
        ISharedRenditionCache? shared,
        RenditionCachePolicy policy,
        CdnProxyCounters counters,
        TimeProvider time)
    {
        _memory = memory;
        _shared = shared;
        _policy = policy;
        _counters = counters;
        _time = time;
        _shared?.SubscribeToPurges(originalId => _memory.Purge(originalId));
    }

    public MemoryRenditionCache Memory => _memory;

    /// <summary>True when a shared (Redis) tier is configured.</summary>
    public bool HasSharedTier => _shared is not null;

    public async ValueTask<Rendition?> TryGetAsync(RenditionKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var local = await _memory.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (local is not null && (_shared is null || _policy.IsFresh(local, _time.GetUtcNow())))
        {
            _counters.RecordMemoryHit();
            return local;
        }

        var shared = _shared is null ? null : await _shared.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (shared is not null && (local is null || shared.Created > local.Created))
        {
            _counters.RecordRedisHit();
            await _memory.SetAsync(key, shared, cancellationToken).ConfigureAwait(false);
            return shared;
        }

        if (local is not null)
        {
            _counters.RecordMemoryHit();
            return local;
        }

        _counters.RecordMiss();
        return null;
    }

    public async ValueTask SetAsync(RenditionKey key, Rendition rendition, CancellationToken cancellationToken)
    {
        await _memory.SetAsync(key, rendition, cancellationToken).ConfigureAwait(false);
        if (_shared is not null)
        {
            await _shared.SetAsync(key, rendition, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<bool> IsKnownMissingAsync(string originalId, CancellationToken cancellationToken)
    {
        var missing = await _memory.IsKnownMissingAsync(originalId, cancellationToken).ConfigureAwait(false)
            || (_shared is not null && await _shared.IsKnownMissingAsync(originalId, cancellationToken).ConfigureAwait(false));
        if (missing)
        {
            _counters.RecordNegativeHit();
        }

        return missing;
    }

    public async ValueTask SetKnownMissingAsync(string originalId, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await _memory.SetKnownMissingAsync(originalId, ttl, cancellationToken).ConfigureAwait(false);
        if (_shared is not null)
        {
            await _shared.SetKnownMissingAsync(originalId, ttl, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<long> PurgeAsync(string originalId, CancellationToken cancellationToken)
    {
        var counts = await PurgeEverywhereAsync(originalId, cancellationToken).ConfigureAwait(false);
        return counts.Memory + (counts.Shared ?? 0);
    }

    /// <summary>Purges this process's tier and the shared tier (which tells the other replicas).</summary>
    public async ValueTask<PurgeCounts> PurgeEverywhereAsync(string originalId, CancellationToken cancellationToken)
    {
        _counters.RecordPurge();
        var memory = _memory.Purge(originalId);
        var shared = _shared is null ? 0 : await _shared.TryPurgeAsync(originalId, cancellationToken).ConfigureAwait(false);
        return new PurgeCounts(memory, shared);
    }
}
