using System.Collections.Concurrent;

namespace CdnProxy.Core.Caching;

/// <summary>
/// Runs at most one piece of work per key at a time in this process: concurrent callers for the same key
/// share the first caller's result (or failure). Nothing is remembered once the work ends.
/// </summary>
/// <typeparam name="T">The result type.</typeparam>
public sealed class KeyedSingleFlight<T>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs <paramref name="work"/> for <paramref name="key"/>, or joins the run already under way.
    /// The work itself is not cancelled when one waiter gives up: others may still need it.
    /// </summary>
    public async Task<T> RunAsync(string key, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var flight = _inFlight.GetOrAdd(key, k => new Lazy<Task<T>>(() => RunAndForgetAsync(k, work)));
        return await flight.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> RunAndForgetAsync(string key, Func<Task<T>> work)
    {
        try
        {
            // Yield first so the Lazy is published before the work can complete and remove it.
            await Task.Yield();
            return await work().ConfigureAwait(false);
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }
}
