using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Uploads;

/// <summary>Where an upload or asset call goes: a writable cloud (and zone) and its origin's writer.</summary>
/// <param name="Cloud">The cloud.</param>
/// <param name="Zone">The zone slug, or null for the default zone.</param>
/// <param name="Writer">The writer of that origin.</param>
/// <param name="QuotaBytes">Its origin's storage quota; 0: none.</param>
public sealed record UploadTarget(string Cloud, string? Zone, IOriginWriter Writer, long QuotaBytes = 0);
