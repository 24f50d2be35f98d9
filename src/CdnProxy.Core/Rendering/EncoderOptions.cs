namespace CdnProxy.Core.Rendering;

/// <summary>Encoder defaults, bound from <c>CdnProxy:Encoding</c> (see docs/formats.md).</summary>
public sealed record EncoderOptions
{
    public int JpegQuality { get; set; } = 80;

    public int WebpQuality { get; set; } = 80;

    /// <summary>Default quality of AVIF and HEIF output (libheif's scale, like sharp's default 50).</summary>
    public int AvifQuality { get; set; } = 50;

    /// <summary>
    /// 0–9, for AVIF and AV1 HEIF. Cost grows steeply with effort: at 1000 px effort 0 takes ~40 ms, effort 1 ~170 ms
    /// for 10 % smaller files, effort 4 ~2 s (docs/formats.md), so the default is 1.
    /// </summary>
    public int AvifEffort { get; set; } = 1;

    /// <summary>0–6, libwebp's method.</summary>
    public int WebpEffort { get; set; } = 4;

    /// <summary>
    /// 1–10, cgif's palette search effort. libvips' default (7) took 4.5–5 s for a 3 MP photo; 1 is about 3–4× faster
    /// with a similar error (docs/benchmarks.md, GIF encoding).
    /// </summary>
    public int GifEffort { get; set; } = 1;

    /// <summary>0–1, error-diffusion dithering; 0.5 keeps gradients from banding at a lower cost and size than 1.</summary>
    public double GifDither { get; set; } = 0.5;

    /// <summary>zlib level 0–9.</summary>
    public int PngCompression { get; set; } = 6;

    /// <summary>
    /// Keep the EXIF copyright and artist notices (and nothing else) in formats that carry EXIF (JPEG, PNG, WebP,
    /// AVIF, HEIF). Off: every output is stripped of all metadata.
    /// </summary>
    public bool KeepCopyright { get; set; }
}
