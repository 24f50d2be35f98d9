using System.Collections.Concurrent;
using CdnProxy.Core;
using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Uploads;

/// <summary>
/// Storage quotas of writable origins (<c>Origin:QuotaBytes</c>). Counting what an origin holds walks or lists it,
/// so each origin is counted at most once per <see cref="RecountInterval"/> (other replicas write too) and kept up to
/// date in between by this replica's own commits and deletes. Room is reserved before a commit: concurrent uploads to
/// one replica cannot pass the quota together; across replicas, by at most what they commit within one interval.
/// </summary>
public sealed class UploadQuotas(TimeProvider time)
{
    public static readonly TimeSpan RecountInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<IOriginWriter, Usage> _usage = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Room for <paramref name="adding"/> bytes (less <paramref name="replacing"/>, the file an overwrite replaces), or
    /// <c>QuotaExceeded</c>. Commit the reservation when the file is stored; disposing it uncommitted gives the room back.
    /// </summary>
    public async Task<Reservation> ReserveAsync(UploadTarget target, long adding, long replacing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.QuotaBytes <= 0)
        {
            return new Reservation(null, 0, 0);
        }

        var usage = _usage.GetOrAdd(target.Writer, _ => new Usage());
        await usage.Recount.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (usage.CountedAt is not { } counted || time.GetUtcNow() - counted >= RecountInterval)
            {
                var stored = await target.Writer.StoredBytesAsync(cancellationToken).ConfigureAwait(false);
                lock (usage)
                {
                    usage.Stored = stored;
                    usage.CountedAt = time.GetUtcNow();
                }
            }
        }
        finally
        {
            usage.Recount.Release();
        }

        lock (usage)
        {
            if (usage.Stored + usage.Reserved + adding - replacing > target.QuotaBytes)
            {
                throw new CdnException(CdnErrorKind.QuotaExceeded, $"This cloud's storage quota ({target.QuotaBytes} bytes) would be exceeded");
            }

            usage.Reserved += adding;
        }

        return new Reservation(usage, adding, replacing);
    }

    /// <summary>A file of <paramref name="bytes"/> was deleted from <paramref name="target"/>.</summary>
    public void Removed(UploadTarget target, long bytes)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_usage.TryGetValue(target.Writer, out var usage))
        {
            lock (usage)
            {
                usage.Stored = Math.Max(0, usage.Stored - bytes);
            }
        }
    }

    /// <summary>Room held for one upload until it is committed or given up.</summary>
    public sealed class Reservation : IDisposable
    {
        private readonly Usage? _usage;
        private readonly long _adding;
        private readonly long _replacing;
        private bool _ended;

        internal Reservation(Usage? usage, long adding, long replacing)
        {
            _usage = usage;
            _adding = adding;
            _replacing = replacing;
        }

        /// <summary>The file is stored: its bytes now count as stored.</summary>
        public void Commit() => End(committed: true);

        public void Dispose() => End(committed: false);

        private void End(bool committed)
        {
            if (_usage is null)
            {
                return;
            }

            lock (_usage)
            {
                if (_ended)
                {
                    return;
                }

                _ended = true;
                _usage.Reserved -= _adding;
                if (committed)
                {
                    _usage.Stored += _adding - _replacing;
                }
            }
        }
    }

    /// <summary>One origin's count: guarded by its own lock; <see cref="Recount"/> lets one caller at a time count.</summary>
    internal sealed class Usage
    {
        public SemaphoreSlim Recount { get; } = new(1, 1);

        public long Stored { get; set; }

        public long Reserved { get; set; }

        public DateTimeOffset? CountedAt { get; set; }
    }
}
