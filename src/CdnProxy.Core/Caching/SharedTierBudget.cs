namespace CdnProxy.Core.Caching;

/// <summary>
/// What one request has spent waiting on the shared tier (Redis), and whether it gave up on it. A request makes
/// several shared-tier calls one after another (lookup, re-check, "not found", render lock, epoch, store, release):
/// the tier lets them share one timeout instead of giving each its own, and after one fails, times out or is
/// skipped by the breaker, the rest of the request runs without the shared tier.
/// </summary>
/// <remarks>
/// Ambient, as <see cref="System.Diagnostics.Activity.Current"/> is: it flows with the request's awaits (into the
/// render flight the request starts, too), so the cache, coordinator and lock interfaces between the pipeline and
/// the tier need not carry it. Outside a request there is none, and each call has its own timeout.
/// </remarks>
public sealed class SharedTierBudget
{
    private static readonly AsyncLocal<SharedTierBudget?> Ambient = new();

    private long _spentTicks;
    private volatile bool _gaveUp;

    private SharedTierBudget()
    {
    }

    /// <summary>The budget of the request being handled; null outside a request.</summary>
    public static SharedTierBudget? Current => Ambient.Value;

    /// <summary>Time spent waiting on shared-tier calls so far.</summary>
    public TimeSpan Spent => TimeSpan.FromTicks(Interlocked.Read(ref _spentTicks));

    /// <summary>True once a call failed, timed out or was skipped: the request no longer calls the shared tier.</summary>
    public bool GaveUp => _gaveUp;

    /// <summary>Gives the calls made from here on (until the scope is disposed) a fresh budget of their own.</summary>
    public static IDisposable Begin()
    {
        var scope = new Scope(Ambient.Value);
        Ambient.Value = new SharedTierBudget();
        return scope;
    }

    /// <summary>The time this request may still wait, out of <paramref name="timeout"/> in all; zero once it gave up.</summary>
    public TimeSpan RemainingOf(TimeSpan timeout) => _gaveUp || Spent >= timeout ? TimeSpan.Zero : timeout - Spent;

    public void Charge(TimeSpan waited) => Interlocked.Add(ref _spentTicks, waited.Ticks);

    public void GiveUp() => _gaveUp = true;

    private sealed class Scope(SharedTierBudget? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
