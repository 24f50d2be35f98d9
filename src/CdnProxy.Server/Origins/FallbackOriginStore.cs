using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Origins;

/// <summary>
/// Asks <paramref name="primary"/> first and <paramref name="fallback"/> only when the primary says "not found".
/// Failures of the primary (timeouts, 5xx) are not hidden: they propagate, so stale-if-error still sees them.
/// </summary>
public sealed class FallbackOriginStore(IOriginStore primary, IOriginStore fallback) : IOriginStore
{
    /// <inheritdoc />
    public string Kind { get; } = primary.Kind + "+" + fallback.Kind;

    public IOriginStore Primary { get; } = primary;

    public IOriginStore Fallback { get; } = fallback;

    public async Task<OriginObject?> FetchAsync(string filePath, CancellationToken cancellationToken) =>
        await Primary.FetchAsync(filePath, cancellationToken).ConfigureAwait(false)
        ?? await Fallback.FetchAsync(filePath, cancellationToken).ConfigureAwait(false);

    public override string ToString() => $"{Primary}, falling back to {Fallback}";
}
