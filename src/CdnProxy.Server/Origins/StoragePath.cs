using CdnProxy.Core.Assets;
using CdnProxy.Urls.Client.Uploads;

namespace CdnProxy.Server.Origins;

/// <summary>
/// The origins' own check of a file path before it becomes a file name or a URL (defence in depth: request paths
/// were already validated by the URL splitter).
/// </summary>
public static class StoragePath
{
    /// <summary>Names starting with this are CdnProxy's own (temporary files, upload sessions, staging objects).</summary>
    public const string ReservedPrefix = UploadFieldRules.ReservedNamePrefix;

    /// <summary>
    /// True for a relative path whose segments are all real names: no empty, <c>.</c> or <c>..</c> segment, no
    /// backslash, no NUL, not rooted. Anything else could step out of the origin's root or base URL.
    /// </summary>
    public static bool IsSafeRelative(string filePath)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        return filePath.Length > 0
            && !filePath.Contains('\\', StringComparison.Ordinal)
            && !filePath.Contains('\0', StringComparison.Ordinal)
            && !Path.IsPathRooted(filePath)
            && !filePath.Split('/').Any(segment => segment is "" or "." or "..");
    }

    /// <summary>
    /// True for CdnProxy's own objects in a writable origin: sidecars (<c>*.cdnproxy.json</c>) and anything under a
    /// <c>.cdnproxy*</c> folder. They are never served as originals, listed, or accepted as upload names.
    /// </summary>
    public static bool IsReserved(string filePath)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        return filePath.EndsWith(AssetRecordJson.SidecarSuffix, StringComparison.OrdinalIgnoreCase)
            || filePath.Split('/').Any(segment => segment.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase));
    }
}
