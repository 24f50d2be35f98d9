using CdnProxy.Core.Origins;
using CdnProxy.Server.Hosting;
using CdnProxy.Urls.Workers;

namespace CdnProxy.Server.Origins;

/// <summary>Builds every cloud's and zone's origin store once, at start-up, from validated options.</summary>
public sealed class ConfiguredCloudCatalog : ICloudCatalog, IDisposable
{
    private readonly Dictionary<string, CloudBinding> _clouds;
    private readonly Dictionary<string, string> _customDomains;
    private readonly List<object> _stores = [];

    public ConfiguredCloudCatalog(CdnProxyOptions options, OriginStoreFactory origins)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(origins);
        _clouds = options.Clouds.ToDictionary(c => c.Key, c => Bind(c.Key, c.Value, origins), StringComparer.Ordinal);
        _customDomains = new Dictionary<string, string>(options.CustomDomains, StringComparer.OrdinalIgnoreCase);
    }

    public CloudBinding? Find(string cloud) => _clouds.GetValueOrDefault(cloud);

    /// <summary>The cloud of a custom domain; a fully qualified host's final dot (<c>img.example.com.</c>) names the same host.</summary>
    public string? CloudForHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return _customDomains.GetValueOrDefault(host.EndsWith('.') ? host[..^1] : host);
    }

    public void Dispose()
    {
        foreach (var store in _stores.SelectMany(Unwrap).OfType<IDisposable>())
        {
            store.Dispose();
        }
    }

    private static IEnumerable<object> Unwrap(object store) =>
        store is FallbackOriginStore composite ? [composite.Primary, composite.Fallback] : [store];

    private static Func<string, string>? Translator(WorkerOptions worker)
    {
        var translator = new WorkerTranslator(worker);
        return translator.IsPassThrough ? null : translator.Translate;
    }

    private CloudBinding Bind(string name, CloudOptions cloud, OriginStoreFactory origins)
    {
        var origin = Track(origins.CreateBinding(cloud.Origin));
        var zones = cloud.Zones.ToDictionary(
            z => z.Key,
            z =>
            {
                var own = z.Value.Origin is { } options ? Track(origins.CreateBinding(options)) : origin;
                return new ZoneBinding(z.Key, own.Reader, Translator(z.Value.Worker)) { Writer = own.Writer };
            },
            StringComparer.Ordinal);
        return new CloudBinding(name, origin.Reader, cloud.RequireSignedUrls, zones, Translator(cloud.Worker))
        {
            Writer = origin.Writer,
            NotFoundImage = string.IsNullOrEmpty(cloud.NotFoundImage) ? null : cloud.NotFoundImage,
        };
    }

    private OriginBinding Track(OriginBinding binding)
    {
        _stores.Add(binding.Reader);
        if (binding.Writer is not null)
        {
            _stores.Add(binding.Writer);
        }

        return binding;
    }
}
