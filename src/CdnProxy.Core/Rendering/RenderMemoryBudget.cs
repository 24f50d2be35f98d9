using System.Globalization;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// The memory renders in flight may hold together, as estimated from their planned pixel sizes (see
/// <see cref="RenderCost"/>). A count of workers alone lets two 16 MP decodes and a 40 MP rotation run at once; this
/// admits a render only while the estimates of those already running leave room for its own.
/// </summary>
public sealed class RenderMemoryBudget
{
    private long _inUse;

    /// <param name="limitBytes">The budget; 0 or less admits everything.</param>
    public RenderMemoryBudget(long limitBytes)
    {
        LimitBytes = limitBytes;
    }

    /// <summary>The budget in bytes; 0 or less: unlimited.</summary>
    public long LimitBytes { get; }

    /// <summary>Bytes reserved by renders running now.</summary>
    public long InUseBytes => Interlocked.Read(ref _inUse);

    /// <summary>
    /// Reserves <paramref name="bytes"/> until the returned reservation is disposed. Throws
    /// <see cref="CdnErrorKind.LimitExceeded"/> (422) when one render alone would need more than the whole budget,
    /// and <see cref="CdnErrorKind.Overloaded"/> (503, try again) when renders in flight hold too much of it now.
    /// </summary>
    public IDisposable Reserve(long bytes)
    {
        if (LimitBytes <= 0)
        {
            return Reservation.None;
        }

        if (bytes > LimitBytes)
        {
            throw new CdnException(CdnErrorKind.LimitExceeded, string.Create(
                CultureInfo.InvariantCulture,
                $"Rendering this would need about {bytes / 1_048_576} MiB, more than this server gives one render ({LimitBytes / 1_048_576} MiB)"));
        }

        while (true)
        {
            var current = Interlocked.Read(ref _inUse);
            if (current + bytes > LimitBytes)
            {
                throw new CdnException(CdnErrorKind.Overloaded, "The server is busy with large images; try again shortly");
            }

            if (Interlocked.CompareExchange(ref _inUse, current + bytes, current) == current)
            {
                return new Reservation(this, bytes);
            }
        }
    }

    private sealed class Reservation(RenderMemoryBudget? budget, long bytes) : IDisposable
    {
        public static readonly Reservation None = new(null, 0);

        private int _released;

        public void Dispose()
        {
            if (budget is not null && Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Add(ref budget._inUse, -bytes);
            }
        }
    }
}
