using System.Text;

namespace CdnProxy.Urls.Client.Uploads;

/// <summary>
/// The rules of an upload's tags and file name, defined once: the CdnProxy server enforces them, and
/// <see cref="Uploader"/> and the <c>cdnproxy upload</c> command check them before the first request. Each check
/// returns why a value is refused (or would be stored otherwise than given), or null when it is fine.
/// </summary>
public static class UploadFieldRules
{
    /// <summary>The most distinct tags a file may have.</summary>
    public const int MaxTags = 100;

    /// <summary>The longest tag, in characters, once trimmed.</summary>
    public const int MaxTagLength = 128;

    /// <summary>The longest file name (without extension), in bytes of UTF-8: a file system's 255 less the record's suffix.</summary>
    public const int MaxNameBytes = 200;

    /// <summary>The server splits a tags value on this character (<c>red,blue</c> is two tags).</summary>
    public const char TagSeparator = ',';

    /// <summary>The server reads a tags value starting with this (after white space) as a JSON array of tags.</summary>
    public const char TagArrayStart = '[';

    /// <summary>Names starting with this are the server's own (temporary files, upload sessions, staging objects).</summary>
    public const string ReservedNamePrefix = ".cdnproxy";

    /// <summary>Names ending with this are the server's own (a file's record beside it).</summary>
    public const string ReservedNameSuffix = ".cdnproxy.json";

    /// <summary>The image extensions the server drops from the end of a name: <c>photo.jpg</c> is stored as <c>photo.{format}</c>.</summary>
    public static IReadOnlyList<string> KnownImageExtensions { get; } = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".heic", ".heif", ".tif", ".tiff"];

    /// <summary><paramref name="name"/> without its extension when that is one of <see cref="KnownImageExtensions"/> (any case); else as given.</summary>
    public static string WithoutKnownExtension(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var extension = Path.GetExtension(name);
        return KnownImageExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase) ? name[..^extension.Length] : name;
    }

    /// <summary>
    /// Why the server refuses <paramref name="tag"/> as a stored tag (already trimmed and split), e.g.
    /// <c>must be at most 128 characters; this one has 129</c>; null when it stores it.
    /// </summary>
    public static string? StoredTagRefusal(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return tag.Length == 0 ? "must not be empty"
            : tag.Length > MaxTagLength ? $"must be at most {MaxTagLength} characters; this one has {tag.Length}"
            : tag.Any(char.IsControl) ? "must be printable characters (no tab, newline or other control character)"
            : null;
    }

    /// <summary>
    /// Why the server would refuse <paramref name="tags"/>, each sent as one tag, or store them otherwise than given (a
    /// tag with a <see cref="TagSeparator"/> becomes several, an empty one is dropped); null when it stores each as given.
    /// </summary>
    /// <param name="tags">The tags.</param>
    /// <param name="subject">What the message calls one tag, e.g. <c>--tag</c>.</param>
    /// <returns>A message such as <c>--tag must not be empty; got ''.</c>, or null.</returns>
    public static string? TagsRefusal(IReadOnlyList<string> tags, string subject)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in tags)
        {
            var trimmed = (tag ?? throw new ArgumentException("A tag must not be null.", nameof(tags))).Trim();
            var reason = trimmed.Contains(TagSeparator, StringComparison.Ordinal)
                    ? $"must not hold a '{TagSeparator}': the server reads a comma-separated list, so it would store several tags; give each as a tag of its own"
                : trimmed.StartsWith(TagArrayStart) ? $"must not start with '{TagArrayStart}': the server reads such a value as a JSON array of tags"
                : StoredTagRefusal(trimmed);
            if (reason is not null)
            {
                return $"{subject} {reason}; got '{tag}'.";
            }
        }

        var distinct = tags.Select(t => t.Trim()).Distinct(StringComparer.Ordinal).Count();
        return distinct > MaxTags ? $"{subject} may be given for at most {MaxTags} different tags; got {distinct}." : null;
    }

    /// <summary>
    /// Why the server refuses <paramref name="name"/> as a stored file's name, already trimmed and without a known
    /// extension; null when it stores the file under it.
    /// </summary>
    public static string? StoredNameRefusal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length == 0 ? "must not be empty"
            : name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) ? "must be a plain file name, without '/' or '\\' (the path gives the folder)"
            : name is "." or ".." ? "must not be '.' or '..'"
            : name.StartsWith(ReservedNamePrefix, StringComparison.OrdinalIgnoreCase) || name.EndsWith(ReservedNameSuffix, StringComparison.OrdinalIgnoreCase)
                ? $"must not start with '{ReservedNamePrefix}' or end with '{ReservedNameSuffix}': those names are the server's own"
            : name.Any(char.IsControl) ? "must be printable characters (no tab, newline or other control character)"
            : name.Trim().Length != name.Length ? "must not start or end with white space (before its extension)"
            : Encoding.UTF8.GetByteCount(name) > MaxNameBytes ? $"must be at most {MaxNameBytes} bytes of UTF-8; this one has {Encoding.UTF8.GetByteCount(name)}"
            : null;
    }

    /// <summary>
    /// Why the server would refuse <paramref name="name"/> as the name field of an upload (it trims it and drops a known
    /// extension first); null when it takes it, or when it is null or blank: the server then picks the name.
    /// </summary>
    /// <param name="name">The name as sent.</param>
    /// <param name="subject">What the message calls the name, e.g. <c>--name</c>.</param>
    /// <returns>A message such as <c>--name must not be '.' or '..'; got '..'.</c>, or null.</returns>
    public static string? NameRefusal(string? name, string subject)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var trimmed = name.Trim();
        var stored = WithoutKnownExtension(trimmed);
        var reason = stored.Length == 0 ? $"must have a name before its extension '{Path.GetExtension(trimmed)}'" : StoredNameRefusal(stored);
        return reason is null ? null : $"{subject} {reason}; got '{name}'.";
    }
}
