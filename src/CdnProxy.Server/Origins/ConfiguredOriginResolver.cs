using CdnProxy.Core.Origins;
using CdnProxy.Server.Hosting;

namespace CdnProxy.Server.Origins;

/// <summary>Builds one origin store per configured cloud at start-up.</summary>
public sealed class ConfiguredOriginResolver : IOriginResolver
{
    private readonly Dictionary<string, IOriginStore> _stores;

    public ConfiguredOriginResolver(CdnProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _stores = options.Clouds.ToDictionary(c => c.Key, c => (IOriginStore)Create(c.Value.Origin), StringComparer.Ordinal);
    }

    public IOriginStore? Resolve(string cloud) => _stores.GetValueOrDefault(cloud);

    /// <summary>Resolves a configured root against the application folder.</summary>
    public static string ResolveRoot(string root) => Path.GetFullPath(root, AppContext.BaseDirectory);

    private static LocalOriginStore Create(OriginOptions origin) => origin.Type switch
    {
        "local" => new LocalOriginStore(ResolveRoot(origin.Root!), origin.MaxBytes),
        _ => throw new InvalidOperationException($"Origin type '{origin.Type}' is not supported"),
    };
}
