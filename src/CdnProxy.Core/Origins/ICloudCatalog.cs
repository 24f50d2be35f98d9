namespace CdnProxy.Core.Origins;

/// <summary>The configured clouds: their origins, zones, worker rules and signing policy.</summary>
public interface ICloudCatalog
{
    /// <summary>The cloud called <paramref name="cloud"/>, or null when it is not configured.</summary>
    CloudBinding? Find(string cloud);

    /// <summary>The cloud a custom domain serves, or null when <paramref name="host"/> is not a custom domain.</summary>
    string? CloudForHost(string host);
}
