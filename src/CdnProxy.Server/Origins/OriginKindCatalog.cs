using CdnProxy.Server.Origins.Http;
using CdnProxy.Server.Origins.Local;
using CdnProxy.Server.Origins.S3;

namespace CdnProxy.Server.Origins;

/// <summary>The single table of origin kinds by <c>Type</c> name. Adding a kind: one folder, one line here.</summary>
public sealed class OriginKindCatalog
{
    private readonly Dictionary<string, IOriginKind> _kinds = new(StringComparer.Ordinal);

    public static OriginKindCatalog Default { get; } = new OriginKindCatalog()
        .Add(new LocalOriginKind())
        .Add(new S3OriginKind())
        .Add(new HttpOriginKind());

    /// <summary>The names, in registration order, for messages.</summary>
    public IReadOnlyCollection<string> Names => _kinds.Keys;

    public OriginKindCatalog Add(IOriginKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (!_kinds.TryAdd(kind.Name, kind))
        {
            throw new InvalidOperationException($"Origin kind '{kind.Name}' is registered twice.");
        }

        return this;
    }

    public IOriginKind? Find(string? type) => type is null ? null : _kinds.GetValueOrDefault(type);
}
