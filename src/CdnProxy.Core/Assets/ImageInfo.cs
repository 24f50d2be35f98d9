namespace CdnProxy.Core.Assets;

/// <summary>
/// What <c>GET /api/v1/info/…</c> (and an image URL with <c>?info</c>) answers about an original: Pixelbin's
/// <c>context.meta</c>, then animation, colour profile, EXIF, colours and a placeholder.
/// </summary>
public sealed record ImageInfo
{
    public required ImageInfoContext Context { get; init; }

    /// <summary>Frame durations in milliseconds, for animations; null for still images.</summary>
    public IReadOnlyList<int>? Delays { get; init; }

    /// <summary>How often an animation repeats (0: for ever); null for still images.</summary>
    public int? Loop { get; init; }

    /// <summary>The embedded ICC profile's description, when there is one.</summary>
    public string? IccDescription { get; init; }

    /// <summary>EXIF tags by name (GPS only when asked for).</summary>
    public required IReadOnlyDictionary<string, string> Exif { get; init; }

    /// <summary>The colour of the largest share of the (opaque) pixels, <c>#rrggbb</c>.</summary>
    public string? DominantColor { get; init; }

    /// <summary>Up to 8 colours, largest share first.</summary>
    public required IReadOnlyList<PaletteColor> Palette { get; init; }

    /// <summary>A BlurHash placeholder (4 × 3 components, or 3 × 4 for portrait images).</summary>
    public string? Blurhash { get; init; }

    /// <summary>Face boxes in the upright image's pixels, when asked for (empty: none found); null when not asked.</summary>
    public IReadOnlyList<InfoFace>? Faces { get; init; }
}

/// <summary>A face's box in the upright original's pixels.</summary>
public sealed record InfoFace(int X, int Y, int Width, int Height);

/// <summary>Pixelbin's <c>context</c> wrapper.</summary>
public sealed record ImageInfoContext(ImageMeta Meta);
