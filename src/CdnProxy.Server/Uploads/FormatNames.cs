namespace CdnProxy.Server.Uploads;

/// <summary>Upload format names (the file extensions uploads get) and their aliases.</summary>
public static class FormatNames
{
    /// <summary>Formats <see cref="Core.Rendering.ContentTypeSniffer"/> recognises from their first bytes.</summary>
    public static IReadOnlySet<string> Sniffable { get; } = new HashSet<string>(StringComparer.Ordinal) { "jpeg", "png", "webp", "gif", "avif", "heic", "tiff" };

    /// <summary>The canonical name of a format or extension: <c>jpg</c> → <c>jpeg</c>, <c>tif</c> → <c>tiff</c>, <c>heif</c> → <c>heic</c>.</summary>
    public static string Normalise(string format) => format.Trim().TrimStart('.').ToLowerInvariant() switch
    {
        "jpg" => "jpeg",
        "tif" => "tiff",
        "heif" => "heic",
        var other => other,
    };

    /// <summary>The format of a sniffed media type, or null when it is not one uploads know.</summary>
    public static string? FromContentType(string contentType) => contentType switch
    {
        "image/jpeg" => "jpeg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "image/avif" => "avif",
        "image/heic" or "image/heif" => "heic",
        "image/tiff" => "tiff",
        _ => null,
    };
}
