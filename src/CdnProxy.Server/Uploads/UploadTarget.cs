using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Uploads;

/// <summary>Where an upload or asset call goes: a writable cloud (and zone) and its origin's writer.</summary>
/// <param name="Cloud">The cloud.</param>
/// <param name="Zone">The zone slug, or null for the default zone.</param>
/// <param name="Writer">The writer of that origin.</param>
/// <param name="QuotaBytes">Its origin's storage quota; 0: none.</param>
public sealed record UploadTarget(string Cloud, string? Zone, IOriginWriter Writer, long QuotaBytes = 0)
{
    /// <summary>
    /// A top folder the API's callers may not see or write (the jobs' files in the jobs cloud: every API key would
    /// otherwise list, change and delete every other key's job inputs and outputs); null: none.
    /// </summary>
    public string? KeptFolder { get; init; }

    /// <summary>True when <paramref name="path"/> (a file id or folder, canonical) is <see cref="KeptFolder"/> or inside it.</summary>
    public bool Keeps(string path) =>
        KeptFolder is { } kept && (path == kept || path.StartsWith(kept + "/", StringComparison.Ordinal));
}
