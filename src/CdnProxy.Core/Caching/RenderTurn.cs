namespace CdnProxy.Core.Caching;

/// <summary>
/// The answer of <see cref="RenderCoordinator.AcquireAsync"/>: either a rendition another replica produced while this
/// one waited, or this process's turn to render (holding the lock or not). Dispose it when the render is stored.
/// </summary>
public sealed class RenderTurn : IAsyncDisposable
{
    private Func<bool, ValueTask>? _release;
    private volatile bool _notShared;

    private RenderTurn(Rendition? producedElsewhere, Func<bool, ValueTask>? release, bool waited)
    {
        ProducedElsewhere = producedElsewhere;
        _release = release;
        Waited = waited;
    }

    /// <summary>The rendition another replica stored while we waited; null when it is our turn to render.</summary>
    public Rendition? ProducedElsewhere { get; }

    /// <summary>True when this turn holds the shared lock (tests and logs).</summary>
    public bool HoldsLock => _release is not null;

    /// <summary>True when another replica held the lock first: what it left behind must be looked at again.</summary>
    public bool Waited { get; }

    public static RenderTurn Ready(Rendition rendition) => new(rendition, null, waited: true);

    /// <summary>This process's turn; <paramref name="release"/> is told whether the result stayed out of the shared tier.</summary>
    public static RenderTurn Render(Func<bool, ValueTask>? release = null, bool waited = false) => new(null, release, waited);

    /// <summary>The rendition will not be in the shared tier (too large): the release tells waiters to render themselves.</summary>
    public void MarkNotShared() => _notShared = true;

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _release, null) is { } release ? release(_notShared) : ValueTask.CompletedTask;
}
