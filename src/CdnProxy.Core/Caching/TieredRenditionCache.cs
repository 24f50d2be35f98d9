using CdnProxy.Core.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
        TimeProvider time,
        ILogger? logger = null)
    {
        _memory = memory;
        _shared = shared;
        Pending = shared is null ? null : new PendingPurges(shared, time, logger ?? NullLogger.Instance);
        _policy = policy;
        _counters = counters;
        _time = time;
        _shared?.SubscribeToPurges(originalId => _memory.Purge(originalId), () => _memory.Clear());
    }

    public MemoryRenditionCache Memory => _memory;

    /// <summary>The originals whose shared purge is still owed, retried in the background; null without a shared tier.</summary>
    public PendingPurges? Pending { get; }

    public long PurgeGeneration => _memory.Generation;

    /// <summary>True when a shared (Redis) tier is configured.</summary>
    public bool HasSharedTier => _shared is not null;

    public ValueTask<Rendition?> TryGetAsync(RenditionKey key, CancellationToken cancellationToken) =>
        LookupAsync(key, count: true, cancellationToken);

    /// <summary>The same lookup, counted neither as a hit nor as a miss (re-checks and lock-wait polls).</summary>
    public ValueTask<Rendition?> PeekAsync(RenditionKey key, CancellationToken cancellationToken) =>
        LookupAsync(key, count: false, cancellationToken);

    public async ValueTask<PurgeEpoch> ReadEpochAsync(string originalId, CancellationToken cancellationToken)
    {
        // The memory generation first: a purge announced while the shared epoch is read still invalidates this render.
        var generation = _memory.Generation;
        var shared = _shared is null ? null : await _shared.ReadEpochAsync(originalId, cancellationToken).ConfigureAwait(false);
        return new PurgeEpoch(generation, shared);
    }

    public async ValueTask SetAsync(RenditionKey key, Rendition rendition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var epoch = await ReadEpochAsync(key.OriginalId, cancellationToken).ConfigureAwait(false);
        await SetAsync(key, rendition, epoch, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask SetAsync(RenditionKey key, Rendition rendition, PurgeEpoch epoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        await _memory.SetAsync(key, rendition, epoch, cancellationToken).ConfigureAwait(false);
        if (_shared is not null && epoch.Shared is not null)
        {
            await _shared.SetAsync(key, rendition, epoch.Shared, cancellationToken).ConfigureAwait(false);
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
        var epoch = await ReadEpochAsync(originalId, cancellationToken).ConfigureAwait(false);
        await SetKnownMissingAsync(originalId, ttl, epoch, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask SetKnownMissingAsync(string originalId, TimeSpan ttl, PurgeEpoch epoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        await _memory.SetKnownMissingAsync(originalId, ttl, epoch, cancellationToken).ConfigureAwait(false);
        // A zero TTL (negative caching off) is no Redis expiry: Redis would refuse it as an error.
        if (_shared is not null && epoch.Shared is not null && ttl > TimeSpan.Zero)
        {
            await _shared.SetKnownMissingAsync(originalId, ttl, epoch.Shared, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Purges both tiers; answers the renditions removed from memory (the shared tier does not count them).</summary>
    public async ValueTask<long> PurgeAsync(string originalId, CancellationToken cancellationToken) =>
        (await PurgeEverywhereAsync(originalId, cancellationToken).ConfigureAwait(false)).Memory;

    /// <summary>
    /// Purges this process's tier and renews the shared tier's epoch (which tells the other replicas); a shared purge
    /// that did not happen is left to <see cref="Pending"/>, so it happens once the shared tier is back.
    /// </summary>
    public async ValueTask<PurgeCounts> PurgeEverywhereAsync(string originalId, CancellationToken cancellationToken)
    {
        _counters.RecordPurge();
        var memory = _memory.Purge(originalId);
        if (_shared is null)
        {
            return new PurgeCounts(memory, null);
        }

        var shared = await _shared.TryPurgeAsync(originalId, cancellationToken).ConfigureAwait(false);
        if (!shared)
        {
            Pending!.Add(originalId);
        }

        // Again: a Redis hit read under the old epoch may have been copied into memory while the epoch was renewed.
        memory += _memory.Purge(originalId);
        return new PurgeCounts(memory, shared);
    }

    private async ValueTask<Rendition?> LookupAsync(RenditionKey key, bool count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var local = await _memory.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (local is not null && (_shared is null || _policy.IsFresh(local, _time.GetUtcNow())))
        {
            Count(count, _counters.RecordMemoryHit);
            return local;
        }

        // Read before the shared lookup: a purge announced meanwhile keeps this copy out of memory.
        var generation = _memory.Generation;
        var shared = _shared is null ? null : await _shared.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (shared is not null && (local is null || shared.Created > local.Created))
        {
            Count(count, _counters.RecordRedisHit);
            await _memory.SetAsync(key, shared, new PurgeEpoch(generation, null), cancellationToken).ConfigureAwait(false);
            return shared;
        }

        if (local is not null)
        {
            Count(count, _counters.RecordMemoryHit);
            return local;
        }

        Count(count, _counters.RecordMiss);
        return null;
    }

    private static void Count(bool count, Action record)
    {
        if (count)
        {
            record();
        }
    }
}
