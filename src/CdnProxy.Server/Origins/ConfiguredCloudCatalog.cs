using CdnProxy.Core.Origins;
using CdnProxy.Server.Hosting;
using CdnProxy.Urls.Workers;

namespace CdnProxy.Server.Origins;

/// <summary>Builds every cloud's and zone's origin store once, at start-up, from validated options.</summary>
public sealed class ConfiguredCloudCatalog : ICloudCatalog
{
    private readonly Dictionary<string, CloudBinding> _clouds;
    private readonly Dictionary<string, string> _customDomains;

    public ConfiguredCloudCatalog(CdnProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clouds = options.Clouds.ToDictionary(c => c.Key, c => Bind(c.Key, c.Value), StringComparer.Ordinal);
        _customDomains = new Dictionary<string, string>(options.CustomDomains, StringComparer.OrdinalIgnoreCase);
    }

    public CloudBinding? Find(string cloud) => _clouds.GetValueOrDefault(cloud);

    public string? CloudForHost(string host) => _customDomains.GetValueOrDefault(host);

    /// <summary>Resolves a configured root against the application folder.</summary>
    public static string ResolveRoot(string root) => Path.GetFullPath(root, AppContext.BaseDirectory);

    private static CloudBinding Bind(string name, CloudOptions cloud)
    {
        var origin = Create(cloud.Origin);
        var zones = cloud.Zones.ToDictionary(
            z => z.Key,
            z => new ZoneBinding(z.Key, z.Value.Origin is { } own ? Create(own) : origin, Translator(z.Value.Worker)),
            StringComparer.Ordinal);
        return new CloudBinding(name, origin, cloud.RequireSignedUrls, zones, Translator(cloud.Worker));
    }

    private static Func<string, string>? Translator(WorkerOptions worker)
    {
        var translator = new WorkerTranslator(worker);
        return translator.IsPassThrough ? null : translator.Translate;
    }

    private static LocalOriginStore Create(OriginOptions origin) => origin.Type switch
    {
        "local" => new LocalOriginStore(ResolveRoot(origin.Root!), origin.MaxBytes),
        _ => throw new InvalidOperationException($"Origin type '{origin.Type}' is not supported"),
    };
}
