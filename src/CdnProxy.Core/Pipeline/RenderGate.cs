using System.Threading.RateLimiting;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// Admits CPU-bound renders: a fixed number run at once, a bounded number wait, and the rest are refused
/// at once with <see cref="CdnErrorKind.Overloaded"/>.
/// </summary>
public sealed class RenderGate : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;

    public RenderGate(RenderGateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Workers = options.Workers > 0 ? options.Workers : Environment.ProcessorCount;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Workers,
            QueueLimit = Math.Max(0, options.QueueLimit),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public int Workers { get; }

    /// <summary>Runs <paramref name="render"/> on a worker thread once admitted.</summary>
    public async Task<T> RunAsync<T>(Func<T> render, CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            throw new CdnException(CdnErrorKind.Overloaded, "The server is busy; try again shortly");
        }

        // A render never awaits: it stays on one thread from decode to encode.
        return await Task.Run(render, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _limiter.Dispose();
}
