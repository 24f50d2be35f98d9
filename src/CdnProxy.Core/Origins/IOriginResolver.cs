namespace CdnProxy.Core.Origins;

/// <summary>Finds the origin configured for a cloud.</summary>
public interface IOriginResolver
{
    /// <summary>The cloud's origin, or null when the cloud is not configured.</summary>
    IOriginStore? Resolve(string cloud);
}
