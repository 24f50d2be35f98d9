namespace CdnProxy.Core.Caching;

/// <summary>
/// An in-process LRU cache of renditions bounded by total bytes, with an index of renditions per original (for
/// purges) and short-lived "original not found" entries.
/// </summary>
public sealed class MemoryRenditionCache : IRenditionCache
{
    /// <summary>Bound on remembered "not found" originals, so a scan of missing paths cannot grow memory.</summary>
    private const int MaxMissingEntries = 10_000;

    private readonly MemoryRenditionCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byOriginal = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _missingUntil = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private long _bytes;
    private long _generation;

    public MemoryRenditionCache(MemoryRenditionCacheOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Bytes currently held: the renditions' and their bookkeeping's (<see cref="MemoryRenditionCacheOptions.EntryOverheadBytes"/>).</summary>
    public long Size
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Entries currently held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Grows with every purge and clear (of any original: bounded state, and purges are rare). A store made under an
    /// older generation is dropped, so a render that began before a purge is not kept after it.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    public long PurgeGeneration => Generation;

    public ValueTask<Rendition?> TryGetAsync(RenditionKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (!_entries.TryGetValue(key.Value, out var node))
            {
                return ValueTask.FromResult<Rendition?>(null);
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return ValueTask.FromResult<Rendition?>(node.Value.Rendition);
        }
    }

    public ValueTask<PurgeEpoch> ReadEpochAsync(string originalId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PurgeEpoch(Generation, null));

    public ValueTask SetAsync(RenditionKey key, Rendition rendition, CancellationToken cancellationToken) =>
        Store(key, rendition, generation: null);

    /// <summary>Stores the rendition unless this cache was purged or cleared since <paramref name="epoch"/> was read.</summary>
    public ValueTask SetAsync(RenditionKey key, Rendition rendition, PurgeEpoch epoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return Store(key, rendition, epoch.MemoryGeneration);
    }

    private ValueTask Store(RenditionKey key, Rendition rendition, long? generation)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(rendition);
        var size = Cost(key.Value, key.OriginalId, rendition);
        // MaxBytes 0 turns the cache off, even for an empty rendition.
        var kept = _options.MaxBytes > 0 && rendition.Bytes.Length <= _options.MaxEntryBytes && size <= _options.MaxBytes;
        lock (_gate)
        {
            if (generation is { } since && since != _generation)
            {
                return ValueTask.CompletedTask;
            }

            // Superseded even when the new one is not kept (a re-render grown past a bound): never served again.
            if (_entries.TryGetValue(key.Value, out var existing))
            {
                RemoveLocked(existing);
            }

            if (!kept)
            {
                return ValueTask.CompletedTask;
            }

            while (_bytes + size > _options.MaxBytes && _recency.Last is { } oldest)
            {
                RemoveLocked(oldest);
            }

            _entries[key.Value] = _recency.AddFirst(new Entry(key.Value, key.OriginalId, rendition, size));
            if (!_byOriginal.TryGetValue(key.OriginalId, out var variants))
            {
                _byOriginal[key.OriginalId] = variants = new HashSet<string>(StringComparer.Ordinal);
            }

            variants.Add(key.Value);
            _bytes += size;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> IsKnownMissingAsync(string originalId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_missingUntil.TryGetValue(originalId, out var until))
            {
                return ValueTask.FromResult(false);
            }

            if (until > _time.GetUtcNow())
            {
                return ValueTask.FromResult(true);
            }

            _missingUntil.Remove(originalId);
            return ValueTask.FromResult(false);
        }
    }

    public ValueTask SetKnownMissingAsync(string originalId, TimeSpan ttl, CancellationToken cancellationToken) =>
        RememberMissing(originalId, ttl, generation: null);

    /// <summary>Remembers the original as missing unless this cache was purged or cleared since <paramref name="epoch"/> was read.</summary>
    public ValueTask SetKnownMissingAsync(string originalId, TimeSpan ttl, PurgeEpoch epoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return RememberMissing(originalId, ttl, epoch.MemoryGeneration);
    }

    private ValueTask RememberMissing(string originalId, TimeSpan ttl, long? generation)
    {
        if (ttl <= TimeSpan.Zero)
        {
            return ValueTask.CompletedTask;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (generation is { } since && since != _generation)
            {
                return ValueTask.CompletedTask;
            }

            if (_missingUntil.Count >= MaxMissingEntries)
            {
                foreach (var expired in _missingUntil.Where(e => e.Value <= now).Select(e => e.Key).ToList())
                {
                    _missingUntil.Remove(expired);
                }

                if (_missingUntil.Count >= MaxMissingEntries)
                {
                    _missingUntil.Clear();
                }
            }

            _missingUntil[originalId] = now + ttl;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> PurgeAsync(string originalId, CancellationToken cancellationToken) => ValueTask.FromResult<long>(Purge(originalId));

    /// <summary>Drops every rendition of the original and its "not found" entry; returns how many renditions went.</summary>
    public int Purge(string originalId)
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _generation);
            _missingUntil.Remove(originalId);
            if (!_byOriginal.TryGetValue(originalId, out var variants))
            {
                return 0;
            }

            var removed = 0;
            foreach (var key in variants.ToList())
            {
                if (_entries.TryGetValue(key, out var node))
                {
                    RemoveLocked(node);
                    removed++;
                }
            }

            return removed;
        }
    }

    /// <summary>Drops every rendition and "not found" entry; returns how many renditions went.</summary>
    public int Clear()
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _generation);
            var removed = _entries.Count;
            _entries.Clear();
            _byOriginal.Clear();
            _missingUntil.Clear();
            _recency.Clear();
            _bytes = 0;
            return removed;
        }
    }

    private void RemoveLocked(LinkedListNode<Entry> node)
    {
        var entry = node.Value;
        _recency.Remove(node);
        _entries.Remove(entry.Key);
        _bytes -= entry.Cost;
        if (_byOriginal.TryGetValue(entry.OriginalId, out var variants) && variants.Remove(entry.Key) && variants.Count == 0)
        {
            _byOriginal.Remove(entry.OriginalId);
        }
    }

    /// <summary>An entry's share of <see cref="MemoryRenditionCacheOptions.MaxBytes"/>: its bytes, and its bookkeeping unless that is counted as 0.</summary>
    private long Cost(string key, string originalId, Rendition rendition) =>
        rendition.Bytes.Length + (_options.EntryOverheadBytes > 0 ? _options.EntryOverheadBytes + (2L * (key.Length + originalId.Length)) : 0);

    // Cost: what was counted when it was stored (the options are mutable: never counted again).
    private sealed record Entry(string Key, string OriginalId, Rendition Rendition, long Cost);
}
