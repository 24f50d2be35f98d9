namespace CdnProxy.Core.Rendering;

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
}
