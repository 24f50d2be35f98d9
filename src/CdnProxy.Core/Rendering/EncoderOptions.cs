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

    /// <summary>zlib level 0–9.</summary>
    public int PngCompression { get; init; } = 6;
}
