namespace CdnProxy.Server.Origins;

/// <summary>
/// Striped async locks by file path: a writer's commit (record, then bytes) and a reader's look at both happen under
/// the path's lock, so a reader never pairs one version's bytes with another version's access. Stripes keep the memory
/// fixed; two paths sharing a stripe only wait for each other briefly.
/// </summary>
public sealed class PathLocks
{
    private readonly SemaphoreSlim[] _stripes;

    public PathLocks(int stripes = 64)
    {
        _stripes = new SemaphoreSlim[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new SemaphoreSlim(1, 1);
        }
    }

    /// <summary>Waits for <paramref name="filePath"/>'s lock; dispose the result to release it.</summary>
    public async Task<IDisposable> AcquireAsync(string filePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(filePath) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(stripe);
    }

    private sealed class Release(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
