using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Origins;

/// <summary>Builds the store an <see cref="OriginOptions"/> describes (options already validated), its fallback included.</summary>
public sealed class OriginStoreFactory(IHttpClientFactory httpClients, TimeProvider time, ILoggerFactory loggers)
{
    public IOriginStore Create(OriginOptions origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var primary = CreateSingle(origin);
        return origin.Fallback is { } fallback ? new FallbackOriginStore(primary, CreateSingle(fallback)) : primary;
    }

    /// <summary>Resolves a configured local root against the application folder.</summary>
    public static string ResolveRoot(string root) => Path.GetFullPath(root, AppContext.BaseDirectory);

    private IOriginStore CreateSingle(OriginOptions origin) => origin.Type switch
    {
        OriginTypes.Local => new LocalOriginStore(ResolveRoot(origin.Root!), origin.MaxBytes),
        OriginTypes.S3 => new S3OriginStore(origin, time, loggers.CreateLogger<S3OriginStore>()),
        OriginTypes.Http => new HttpOriginStore(origin, httpClients, time, loggers.CreateLogger<HttpOriginStore>()),
        _ => throw new InvalidOperationException($"Origin type '{origin.Type}' is not supported"),
    };
}
