namespace CdnProxy.Core.Caching;

/// <summary>An in-process LRU cache of renditions bounded by total bytes.</summary>
public sealed class MemoryRenditionCache : IRenditionCache
{
    private readonly MemoryRenditionCacheOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private long _bytes;

    public MemoryRenditionCache(MemoryRenditionCacheOptions options)
    {
        _options = options;
    }

    /// <summary>Bytes currently held.</summary>
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

    public ValueTask SetAsync(RenditionKey key, Rendition rendition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(rendition);
        long size = rendition.Bytes.Length;
        // MaxBytes 0 turns the cache off, even for an empty rendition.
        if (_options.MaxBytes <= 0 || size > _options.MaxEntryBytes || size > _options.MaxBytes)
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            if (_entries.Remove(key.Value, out var existing))
            {
                _recency.Remove(existing);
                _bytes -= existing.Value.Rendition.Bytes.Length;
            }

            while (_bytes + size > _options.MaxBytes && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Rendition.Bytes.Length;
            }

            _entries[key.Value] = _recency.AddFirst(new Entry(key.Value, rendition));
            _bytes += size;
        }

        return ValueTask.CompletedTask;
    }

    private sealed record Entry(string Key, Rendition Rendition);
}
