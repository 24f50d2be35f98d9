using CdnProxy.Core;

namespace CdnProxy.Server.Http;

/// <summary>
/// Bounds the request bodies held in memory at once (the job faces read a body whole and hold it, with the image it
/// decodes to, until the job is stored: 1.0 to 3.7 bytes a byte of body by face and form, docs/configuration.md): per partition (an API key's digest, else a client address), at most
/// <c>largeBodiesPerPartition</c> bodies over <c>largeBodyBytes</c> at once, more being
/// <see cref="CdnErrorKind.RateLimited"/> (429); server-wide, at most <c>totalBytes</c> of bodies, more being
/// <see cref="CdnErrorKind.Overloaded"/> (503). A body's declared length is taken before it is read; a body of unknown
/// length is charged as it is read, and refused at the read that no longer fits. 0 for either bound: none.
/// </summary>
public sealed class RequestBodyBudget(long totalBytes, long largeBodyBytes, int largeBodiesPerPartition)
{
    /// <summary>Seconds a refused client is told to wait: a body in flight is held for the seconds it takes to arrive.</summary>
    public const int RetryAfterSeconds = 2;

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(RetryAfterSeconds);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _largeBodies = new(StringComparer.Ordinal);
    private long _held;

    /// <summary>Bytes of bodies held now.</summary>
    public long Held
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    /// <summary>Large bodies <paramref name="partition"/> holds now.</summary>
    public int LargeBodies(string partition)
    {
        lock (_gate)
        {
            return _largeBodies.GetValueOrDefault(partition);
        }
    }

    /// <summary>A lease for one body of <paramref name="partition"/>, charged <paramref name="declaredBytes"/> at once (0 when unknown).</summary>
    public Lease Enter(string partition, long declaredBytes)
    {
        ArgumentNullException.ThrowIfNull(partition);
        var lease = new Lease(this, partition);
        lease.Charge(declaredBytes);
        return lease;
    }

    private void Grow(Lease lease, long bytes)
    {
        lock (_gate)
        {
            if (bytes <= lease.Charged)
            {
                return;
            }

            var becomesLarge = largeBodyBytes > 0 && !lease.IsLarge && bytes > largeBodyBytes;
            if (becomesLarge && largeBodiesPerPartition > 0 && _largeBodies.GetValueOrDefault(lease.Partition) >= largeBodiesPerPartition)
            {
                throw new CdnException(
                    CdnErrorKind.RateLimited,
                    $"This API key (or address) is already sending {largeBodiesPerPartition} bodies over {largeBodyBytes} bytes; retry when they are done")
                {
                    RetryAfter = RetryAfter,
                };
            }

            if (totalBytes > 0 && _held + bytes - lease.Charged > totalBytes)
            {
                throw new CdnException(CdnErrorKind.Overloaded, "The server is busy reading other large requests; try again shortly") { RetryAfter = RetryAfter };
            }

            if (becomesLarge)
            {
                _largeBodies[lease.Partition] = _largeBodies.GetValueOrDefault(lease.Partition) + 1;
                lease.IsLarge = true;
            }

            _held += bytes - lease.Charged;
            lease.Charged = bytes;
        }
    }

    private void Release(Lease lease)
    {
        lock (_gate)
        {
            _held -= lease.Charged;
            lease.Charged = 0;
            if (lease.IsLarge)
            {
                lease.IsLarge = false;
                var count = _largeBodies[lease.Partition];
                if (count > 1)
                {
                    _largeBodies[lease.Partition] = count - 1;
                }
                else
                {
                    _largeBodies.Remove(lease.Partition);
                }
            }
        }
    }

    /// <summary>One body's share of the budget, held until disposed.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly RequestBodyBudget _budget;
        private bool _disposed;

        internal Lease(RequestBodyBudget budget, string partition) => (_budget, Partition) = (budget, partition);

        public string Partition { get; }

        /// <summary>Bytes charged to the budget.</summary>
        public long Charged { get; internal set; }

        /// <summary>Counted as one of its partition's large bodies.</summary>
        public bool IsLarge { get; internal set; }

        /// <summary>True once a charge was refused: the answer then says when to retry.</summary>
        public bool Refused { get; private set; }

        /// <summary>Charges the body up to <paramref name="bytes"/> in all (no change when already charged as much); refused as the budget says.</summary>
        public void Charge(long bytes)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                _budget.Grow(this, bytes);
            }
            catch (CdnException)
            {
                Refused = true;
                throw;
            }
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                _budget.Release(this);
            }
        }
    }
}
