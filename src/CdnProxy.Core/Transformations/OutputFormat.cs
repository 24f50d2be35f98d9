
namespace CdnProxy.Core.Transformations;

/// <summary>An encoded output format. <see cref="Source"/> means "the source's own format", resolved once decoded.</summary>
public enum OutputFormat
{
    Source,
    Jpeg,
    Png,
    Webp,
    Avif,
    Gif,
    Tiff,

    /// <summary>The HEIF container with the best codec the engine encodes (the engine's encoder capabilities, probed at start-up).</summary>
    Heif,

    /// <summary>Windows bitmap, written by our own encoder (libvips has no BMP saver).</summary>
    Bmp,
}
