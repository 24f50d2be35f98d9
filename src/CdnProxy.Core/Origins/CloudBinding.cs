namespace CdnProxy.Core.Origins;

/// <summary>One configured cloud (tenant).</summary>
/// <param name="Name">The cloud name as written in URLs.</param>
/// <param name="Origin">Where the default zone's originals live.</param>
/// <param name="RequireSignedUrls">When true, every URL of this cloud must carry a valid signature.</param>
/// <param name="Zones">The cloud's zones by slug.</param>
/// <param name="Worker">Translates worker paths of the default zone (<c>/{cloud}/wrkr/...</c>); null passes them through.</param>
public sealed record CloudBinding(
    string Name,
    IOriginStore Origin,
    bool RequireSignedUrls,
    IReadOnlyDictionary<string, ZoneBinding> Zones,
    Func<string, string>? Worker = null)
{
    /// <summary>Stores files in the default zone's origin; null when it is not writable.</summary>
    public IOriginWriter? Writer { get; init; }

    /// <summary>
    /// A file of the default zone rendered instead of a missing original (answered 404), so a page shows an image
    /// rather than a broken one; null answers the JSON 404.
    /// </summary>
    public string? NotFoundImage { get; init; }
}
