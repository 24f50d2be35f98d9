using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Rendering;

/// <summary>Maps libvips loader names to the output format that "same as the source" means.</summary>
internal static class SourceFormat
{
    /// <summary>
    /// The output format for a source opened by <paramref name="loader"/>. SVG is rasterised to PNG (never
    /// served as SVG); a non-AV1 HEIF (HEIC) falls back to JPEG, the format every client can show.
    /// </summary>
    public static OutputFormat FromLoader(string loader, bool isAv1) => loader switch
    {
        _ when Has(loader, "Jpeg") => OutputFormat.Jpeg,
        _ when Has(loader, "Png") => OutputFormat.Png,
        _ when Has(loader, "Webp") => OutputFormat.Webp,
        _ when Has(loader, "gif") => OutputFormat.Gif,
        _ when Has(loader, "Heif") => isAv1 ? OutputFormat.Avif : OutputFormat.Jpeg,
        _ when Has(loader, "Tiff") => OutputFormat.Tiff,
        _ when Has(loader, "Svg") => OutputFormat.Png,
        _ => OutputFormat.Jpeg,
    };

    private static bool Has(string loader, string part) => loader.Contains(part, StringComparison.OrdinalIgnoreCase);
}
