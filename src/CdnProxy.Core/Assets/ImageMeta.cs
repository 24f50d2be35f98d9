namespace CdnProxy.Core.Assets;

/// <summary>
/// What an image's header says, in the words of sharp's <c>metadata()</c> that Pixelbin's upload answers repeat
/// (<c>context.meta</c>). Read without decoding a pixel (<see cref="ImageHeaderReader"/>).
/// </summary>
public sealed record ImageMeta
{
    /// <summary>The format, also the file extension uploads get: jpeg, png, webp, gif, avif, heic, tiff.</summary>
    public required string Format { get; init; }

    /// <summary>The file's size in bytes.</summary>
    public long Size { get; init; }

    public int Width { get; init; }

    /// <summary>The height of one page (frame) for animations.</summary>
    public int Height { get; init; }

    /// <summary>libvips' interpretation nickname: <c>srgb</c>, <c>b-w</c>, <c>cmyk</c>, <c>rgb16</c>, <c>grey16</c>...</summary>
    public required string Space { get; init; }

    /// <summary>Bands, alpha included.</summary>
    public int Channels { get; init; }

    /// <summary>Sample format nickname: <c>uchar</c>, <c>ushort</c>, <c>float</c>...</summary>
    public required string Depth { get; init; }

    /// <summary>Pixels per inch, when the file says.</summary>
    public double? Density { get; init; }

    /// <summary><c>inch</c> when <see cref="Density"/> is known.</summary>
    public string? ResolutionUnit => Density is null ? null : "inch";

    public bool IsProgressive { get; init; }

    public bool HasProfile { get; init; }

    public bool HasAlpha { get; init; }

    /// <summary>The EXIF orientation (1–8), when present.</summary>
    public int? Orientation { get; init; }

    /// <summary>Pages or frames (1 for still images).</summary>
    public int Pages { get; init; } = 1;

    public string Extension => Format;

    public required string ContentType { get; init; }

    /// <summary>Always <c>image</c> for now (uploads accept images only).</summary>
    public string AssetType { get; init; } = "image";

    /// <summary>True when the format is one the renderer can transform (all accepted uploads are).</summary>
    public bool IsTransformationSupported { get; init; } = true;
}
