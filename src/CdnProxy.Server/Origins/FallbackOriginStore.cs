using CdnProxy.Core.Origins;
using CdnProxy.Server.Streaming;

namespace CdnProxy.Server.Origins;

/// <summary>
/// Asks <paramref name="primary"/> first and <paramref name="fallback"/> only when the primary says "not found".
/// Failures of the primary (timeouts, 5xx) are not hidden: they propagate, so stale-if-error still sees them.
/// Streaming follows the same rule; an origin that cannot stream counts as not having the file.
/// </summary>
public sealed class FallbackOriginStore(IOriginStore primary, IOriginStore fallback) : IOriginStore, IStreamingOrigin
{
    /// <inheritdoc />
    public string Kind { get; } = primary.Kind + "+" + fallback.Kind;

    public IOriginStore Primary { get; } = primary;

    public IOriginStore Fallback { get; } = fallback;

    public async Task<OriginObject?> FetchAsync(string filePath, CancellationToken cancellationToken) =>
        await Primary.FetchAsync(filePath, cancellationToken).ConfigureAwait(false)
        ?? await Fallback.FetchAsync(filePath, cancellationToken).ConfigureAwait(false);

    public async Task<bool> StreamAsync(StoredFileRequest request, CancellationToken cancellationToken) =>
        (Primary is IStreamingOrigin primary && await primary.StreamAsync(request, cancellationToken).ConfigureAwait(false))
        || (Fallback is IStreamingOrigin fallback && await fallback.StreamAsync(request, cancellationToken).ConfigureAwait(false));

    public override string ToString() => $"{Primary}, falling back to {Fallback}";
}
