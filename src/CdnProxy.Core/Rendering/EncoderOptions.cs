namespace CdnProxy.Core.Rendering;

/// <summary>Encoder defaults, bound from <c>CdnProxy:Encoding</c>.</summary>
public sealed record EncoderOptions
{
    public int JpegQuality { get; init; } = 80;

    public int WebpQuality { get; init; } = 80;

    public int AvifQuality { get; init; } = 50;

    /// <summary>0–9; AVIF encoding cost grows steeply with effort (see docs/operations.md).</summary>
    public int AvifEffort { get; init; } = 2;

    /// <summary>0–6, libwebp's method.</summary>
    public int WebpEffort { get; init; } = 4;

    /// <summary>
    /// 1–10, cgif's palette search effort. libvips' default (7) took 4.5–5 s for a 3 MP photo; 1 is about 3–4× faster
    /// with a similar error (docs/benchmarks.md, GIF encoding).
    /// </summary>
    public int GifEffort { get; init; } = 1;

    /// <summary>0–1, error-diffusion dithering; 0.5 keeps gradients from banding at a lower cost and size than 1.</summary>
    public double GifDither { get; init; } = 0.5;

    /// <summary>zlib level 0–9.</summary>
    public int PngCompression { get; init; } = 6;
}
