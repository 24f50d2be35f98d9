namespace CdnProxy.Core.Origins;

/// <summary>One zone of a cloud: its own origin and worker rules.</summary>
/// <param name="Slug">The six-character zone slug.</param>
/// <param name="Origin">Where this zone's originals live.</param>
/// <param name="Worker">Translates worker paths (<c>/{cloud}/{zone}/wrkr/...</c>) into <c>{pattern}/{filePath}</c>; null passes them through.</param>
public sealed record ZoneBinding(string Slug, IOriginStore Origin, Func<string, string>? Worker = null)
{
    /// <summary>Stores files in the zone's origin; null when it is not writable.</summary>
    public IOriginWriter? Writer { get; init; }
}
