using System.Collections.Concurrent;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// Remembers, per original, that its origin has just failed, so that for a short while requests for its stale
/// renditions are answered from the cache at once instead of each waiting for the origin's timeout again.
/// Bounded: past <see cref="Capacity"/> originals it starts afresh (forgetting only costs one more origin attempt).
/// </summary>
public sealed class OriginFailureMemory
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _failingUntil = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _holdFor;

    public OriginFailureMemory(TimeProvider time, TimeSpan holdFor)
    {
        _time = time;
        _holdFor = holdFor;
    }

    public void RememberFailure(string originalId)
    {
        if (_failingUntil.Count >= Capacity)
        {
            _failingUntil.Clear();
        }

        _failingUntil[originalId] = _time.GetUtcNow() + _holdFor;
    }

    public void Forget(string originalId) => _failingUntil.TryRemove(originalId, out _);

    /// <summary>True while the origin of <paramref name="originalId"/> is remembered as failing.</summary>
    public bool IsFailing(string originalId)
    {
        if (!_failingUntil.TryGetValue(originalId, out var until))
        {
            return false;
        }

        if (_time.GetUtcNow() < until)
        {
            return true;
        }

        _failingUntil.TryRemove(KeyValuePair.Create(originalId, until));
        return false;
    }
}
