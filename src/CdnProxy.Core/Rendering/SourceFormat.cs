using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Rendering;

/// <summary>Reads libvips loader names: the output format that "same as the source" means, and what opening one costs.</summary>
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

    /// <summary>
    /// True for JPEG, PNG and WebP, whose header libvips reads from the first markers or chunks in well under a
    /// millisecond; other formats may cost far more to open (an SVG is parsed whole, a GIF's frames are walked).
    /// </summary>
    public static bool HasCheapHeader(string loader) => Has(loader, "Jpeg") || Has(loader, "Png") || Has(loader, "Webp");

    private static bool Has(string loader, string part) => loader.Contains(part, StringComparison.OrdinalIgnoreCase);
}
