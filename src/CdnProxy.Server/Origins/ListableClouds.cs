using CdnProxy.Core.Origins;
using CdnProxy.Server.Hosting;
using CdnProxy.Server.Origins.Local;

namespace CdnProxy.Server.Origins;

/// <summary>
/// The clouds configured with <c>Listable: true</c> and a lister over each one's local root. Other clouds are not
/// named here at all: asking for one is the same 404 as asking for a cloud that does not exist.
/// </summary>
public sealed class ListableClouds
{
    private readonly SortedDictionary<string, LocalFileLister> _listers = new(StringComparer.Ordinal);

    public ListableClouds(CdnProxyOptions options, ICloudCatalog clouds, ILogger<ListableClouds> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clouds);
        foreach (var (name, cloud) in options.Clouds.Where(c => c.Value.Listable))
        {
            // A fallback's primary is the folder listed. Other origins cannot be listed: the shipped demo cloud stays
            // listable in the file while a deployment points it at S3, so that is a warning, not a start-up failure.
            var origin = clouds.Find(name)?.Origin;
            if ((origin is FallbackOriginStore fallback ? fallback.Primary : origin) is LocalOriginStore local)
            {
                var kept = options.Jobs.Enabled && name == options.Jobs.Cloud ? Jobs.JobsOptions.FilesFolder : null;
                _listers[name] = new LocalFileLister(local.Root, kept);
            }
            else
            {
                OriginLog.NotListable(logger, name);
            }
        }
    }

    /// <summary>The listable clouds' names, sorted.</summary>
    public IEnumerable<string> Names => _listers.Keys;

    /// <summary>The lister of <paramref name="cloud"/>, or null when it is not a listable cloud.</summary>
    public LocalFileLister? Find(string cloud) => _listers.GetValueOrDefault(cloud);
}
