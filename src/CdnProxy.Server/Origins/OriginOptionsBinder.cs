using CdnProxy.Server.Hosting;
using Microsoft.Extensions.Options;

namespace CdnProxy.Server.Origins;

/// <summary>
/// Binds every origin section (a cloud's, a zone's and their fallbacks) to the options class of the kind its
/// <c>Type</c> names, after the ordinary binding filled the common settings only. An unknown <c>Type</c> keeps the
/// common options, and validation reports it.
/// </summary>
public sealed class OriginOptionsBinder(IConfiguration configuration, OriginKindCatalog kinds) : IPostConfigureOptions<CdnProxyOptions>
{
    public void PostConfigure(string? name, CdnProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clouds = configuration.GetSection(CdnProxyOptions.SectionName).GetSection(nameof(CdnProxyOptions.Clouds));
        foreach (var (cloudName, cloud) in options.Clouds)
        {
            var cloudSection = clouds.GetSection(cloudName);
            if (Bind(cloudSection.GetSection(nameof(CloudOptions.Origin))) is { } origin)
            {
                cloud.Origin = origin;
            }

            cloud.Origin.ExpandPlaceholders(options.DataDirectory);
            foreach (var (slug, zone) in cloud.Zones)
            {
                zone.Origin = Bind(cloudSection.GetSection(nameof(CloudOptions.Zones)).GetSection(slug).GetSection(nameof(ZoneOptions.Origin))) ?? zone.Origin;
                zone.Origin?.ExpandPlaceholders(options.DataDirectory);
            }
        }
    }

    /// <summary>The options of <paramref name="section"/>'s kind, or null when the section is absent.</summary>
    public OriginOptions? Bind(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (!section.Exists())
        {
            return null;
        }

        var type = section[nameof(OriginOptions.Type)];
        OriginOptions options;
        if (kinds.Find(type ?? "local") is { } kind)
        {
            options = kind.Bind(section);
        }
        else
        {
            options = new OriginOptions();
            UnreadableSetting.Guard(() => section.Bind(options));
        }

        options.Fallback = Bind(section.GetSection(nameof(OriginOptions.Fallback)));
        return options;
    }
}
