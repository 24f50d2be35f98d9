using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Origins;

/// <summary>Builds the stores an <see cref="OriginOptions"/> describes (options already validated), its fallback included.</summary>
public sealed class OriginStoreFactory(
    IHttpClientFactory httpClients, TimeProvider time, ILoggerFactory loggers, Streaming.OriginForwarder forwarder, OriginKindCatalog? kinds = null)
{
    private readonly OriginKindCatalog _kinds = kinds ?? OriginKindCatalog.Default;
    private readonly OriginServices _services = new(httpClients, time, loggers, forwarder);

    /// <summary>The reader (with its fallback) and the primary's writer, if writable.</summary>
    public OriginBinding CreateBinding(OriginOptions origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var primary = CreateSingle(origin);
        return origin.Fallback is { } fallback
            ? primary with { Reader = new FallbackOriginStore(primary.Reader, CreateSingle(fallback).Reader) }
            : primary;
    }

    /// <summary>The reader of <paramref name="origin"/> (with its fallback).</summary>
    public IOriginStore Create(OriginOptions origin) => CreateBinding(origin).Reader;

    private OriginBinding CreateSingle(OriginOptions origin) =>
        (_kinds.Find(origin.Type) ?? throw new InvalidOperationException($"Origin type '{origin.Type}' is not supported")).Create(origin, _services);
}
