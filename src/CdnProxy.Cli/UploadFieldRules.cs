using System.Text;

namespace CdnProxy.Cli;

/// <summary>
/// The server's rules for an upload's tags and file name (CdnProxy.Server's <c>UploadForm.ParseTags</c> and
/// <c>AssetPaths.Name</c>), checked before the server is asked: what it would refuse, and what it would silently store
/// otherwise than written (a tag with a comma becomes two tags).
/// </summary>
internal static class UploadFieldRules
{
    /// <summary>The most distinct tags an upload may have.</summary>
    public const int MaxTags = 100;

    /// <summary>The longest tag, in characters, once trimmed.</summary>
    public const int MaxTagLength = 128;

    /// <summary>The longest file name, in bytes of UTF-8 (a file system's 255 less the record's suffix).</summary>
    public const int MaxNameBytes = 200;

    private const string ReservedPrefix = ".cdnproxy";
    private const string ReservedSuffix = ".cdnproxy.json";

    // The server drops one of these from the end of a name (photo.jpg is stored as photo.{format}).
    private static readonly string[] KnownExtensions = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".heic", ".heif", ".tif", ".tiff"];

    /// <summary>Why the server would refuse or change <paramref name="tags"/> (each given with --tag); null when it takes them as given.</summary>
    public static string? TagRefusal(IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in tags)
        {
            var trimmed = tag.Trim();
            var reason = trimmed.Length == 0 ? "must not be empty"
                : trimmed.Contains(',', StringComparison.Ordinal) ? "must not hold a ',': the server reads a comma-separated list, so it would store several tags; give each with its own --tag"
                : trimmed.StartsWith('[') ? "must not start with '[': the server reads such a value as a JSON array of tags"
                : trimmed.Length > MaxTagLength ? $"must be at most {MaxTagLength} characters; this one has {trimmed.Length}"
                : trimmed.Any(char.IsControl) ? "must be printable characters (no tab, newline or other control character)"
                : null;
            if (reason is not null)
            {
                return $"--tag {reason}; got '{tag}'.";
            }
        }

        var distinct = tags.Select(t => t.Trim()).Distinct(StringComparer.Ordinal).Count();
        return distinct > MaxTags ? $"--tag may be given for at most {MaxTags} different tags; got {distinct}." : null;
    }

    /// <summary>
    /// Why the server would refuse <paramref name="name"/> as the stored file's name (without extension); null when it
    /// takes it. <paramref name="source"/> says where the name came from, e.g. <c>--name</c>.
    /// </summary>
    public static string? NameRefusal(string name, string source)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        var extension = Path.GetExtension(trimmed);
        var stored = KnownExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase) ? trimmed[..^extension.Length] : trimmed;
        var reason = trimmed.Length == 0 ? "must not be empty (leave --name out to use the file's name)"
            : stored.Length == 0 ? $"must have a name before its extension '{extension}'"
            : stored.Contains('/', StringComparison.Ordinal) || stored.Contains('\\', StringComparison.Ordinal) ? "must be a plain file name, without '/' or '\\' (--path gives the folder)"
            : stored is "." or ".." ? "must not be '.' or '..'"
            : stored.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase) || stored.EndsWith(ReservedSuffix, StringComparison.OrdinalIgnoreCase)
                ? $"must not start with '{ReservedPrefix}' or end with '{ReservedSuffix}': those names are the server's own"
            : stored.Any(char.IsControl) ? "must be printable characters (no tab, newline or other control character)"
            : Encoding.UTF8.GetByteCount(stored) > MaxNameBytes ? $"must be at most {MaxNameBytes} bytes of UTF-8; this one has {Encoding.UTF8.GetByteCount(stored)}"
            : null;
        return reason is null ? null : $"{source} {reason}; got '{name}'.";
    }
}
