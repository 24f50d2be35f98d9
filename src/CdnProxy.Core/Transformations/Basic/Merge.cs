using System.Globalization;
using CdnProxy.Urls.Grammar;
using NetVips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.merge(m,i,tr,bg,h,w,t,l,g,b,r,bboxes,polys)</c>: composites a second layer with the base, as sharp's
/// <c>composite()</c> does. The layer is the image <c>i</c> (a file id of the same cloud and zone, fetched with the
/// original) after the nested pattern <c>tr</c>, or else a box of colour <c>bg</c> of <c>w</c>×<c>h</c> (0 = the base's
/// side). <c>overlay</c> puts it on top, <c>underlay</c> beneath the base, and <c>wrap</c> stretches it into each
/// rectangle of <c>bboxes</c> and each polygon of <c>polys</c>. Placement, tiling and blending follow sharp; a layer
/// larger than the base (where sharp throws) is scaled down to fit. See docs/operations.md.
/// </summary>
public sealed record Merge(
    MergeMode Mode,
    string? FileId,
    IReadOnlyList<ITransformation> Nested,
    Rgba Background,
    int Height,
    int Width,
    int Top,
    int Left,
    MergeGravity Gravity,
    MergeBlend Blend,
    bool Tile,
    IReadOnlyList<BoundingBox>? Boxes,
    IReadOnlyList<IReadOnlyList<PolygonPoint>>? Polygons)
    : ITransformation<Merge>, IReferencesFiles, IAnimationStep
{
    /// <summary>The largest side of a <c>wrap</c> region (Pixelbin's largest image side).</summary>
    public const int MaxRegionSide = 10_000;

    /// <summary>The most <c>wrap</c> regions (boxes and polygons together) in one call.</summary>
    public const int MaxRegions = 32;

    private const int MaxPosition = 100_000;
    private const Enums.Kernel Kernel = Enums.Kernel.Lanczos3;

    private static readonly EnumArgument<MergeMode> Modes = new(
        ("overlay", MergeMode.Overlay), ("underlay", MergeMode.Underlay), ("wrap", MergeMode.Wrap));

    private static readonly ITransformation[] NoSteps = [];

    public static string Name => "t.merge";

    /// <summary>Compositing with a blend mode, per pixel of the base image (measured: 20–30).</summary>
    public double NanosecondsPerPixel(RenderContext context) => 30;

    public IEnumerable<string> ReferencedFiles =>
        (FileId is null ? Array.Empty<string>() : new[] { FileId }).Concat(Nested.OfType<IReferencesFiles>().SelectMany(step => step.ReferencedFiles));

    /// <summary>Offsets come from <c>t</c>/<c>l</c> with <c>g:custom</c>, or when either is not 0 (sharp: top/left win over gravity).</summary>
    private bool HasOffset => Gravity == MergeGravity.Custom || Top != 0 || Left != 0;

    private bool IsColour => FileId is null;

    public static Merge Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var merge = new Merge(
            Mode: args.Choice("m", MergeMode.Overlay, Modes),
            FileId: args.FileId("i"),
            Nested: args.NestedSteps("tr") ?? NoSteps,
            Background: args.Color("bg", new Rgba(0, 0, 0, 0)),
            Height: args.Whole("h", 0, 0, MaxPosition),
            Width: args.Whole("w", 0, 0, MaxPosition),
            Top: args.Whole("t", 0, 0, MaxPosition),
            Left: args.Whole("l", 0, 0, MaxPosition),
            Gravity: args.Choice("g", MergeGravity.Center, MergeGravityExtensions.Tokens),
            Blend: args.Choice("b", MergeBlend.Over, MergeBlendExtensions.Tokens),
            Tile: args.Flag("r", false),
            Boxes: args.BboxList("bboxes"),
            Polygons: args.PolygonList("polys"));
        merge.Validate(args);
        return merge;
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(context);
        using var layer = Layer(image, context);
        return MergeWith(image, layer);
    }

    /// <summary>Each frame merged with one layer: the merge image is decoded (and its nested steps run) once, not per frame.</summary>
    public VipsImage ApplyToAnimation(VipsImage strip, Animation animation, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(animation);
        ArgumentNullException.ThrowIfNull(context);
        VipsImage? layer = null;
        try
        {
            // Frames share one size, so the layer built for the first one fits them all. It is rendered into memory
            // once: left lazy, its nested steps would run again for every frame.
            return animation.EachFrame(strip, context.Deadline, frame => MergeWith(frame, layer ??= InMemory(Layer(frame, context), context)));
        }
        finally
        {
            layer?.Dispose();
        }
    }

    private static VipsImage InMemory(VipsImage layer, RenderContext context)
    {
        using (layer)
        {
            return RenderDeadline.InMemory(layer, context.Deadline);
        }
    }

    private VipsImage MergeWith(VipsImage image, VipsImage layer)
    {
        var opaqueBase = !image.HasAlpha();
        var merged = Mode switch
        {
            MergeMode.Wrap when Boxes is not null || Polygons is not null => Wrap(image, layer),
            _ => Layered(image, layer),
        };

        // Compositing always adds alpha; drop it again when the blend cannot have made an opaque base translucent.
        var staysOpaque = Mode == MergeMode.Underlay ? Blend.KeepsOpaqueSource() : Blend.KeepsOpaqueDestination();
        if (ReferenceEquals(merged, image) || !opaqueBase || !staysOpaque)
        {
            return merged;
        }

        using (merged)
        {
            return merged.ExtractBand(0, n: merged.Bands - 1);
        }
    }

    private void Validate(ArgumentReader args)
    {
        if (!IsColour && (Height != 0 || Width != 0))
        {
            var (key, value) = Height != 0 ? ("h", Height) : ("w", Width);
            throw args.Invalid(key, value.ToString(CultureInfo.InvariantCulture), "0 when 'i' is set: h and w size the colour box; resize the merge image with 'tr'");
        }

        if (Mode != MergeMode.Wrap && (Boxes is not null || Polygons is not null))
        {
            var (key, value) = Boxes is not null ? ("bboxes", ValueGrammar.FormatBboxList(Boxes)) : ("polys", ValueGrammar.FormatPolygonList(Polygons!));
            throw args.Invalid(key, value, "left out unless m:wrap");
        }

        var side = string.Create(CultureInfo.InvariantCulture, $"1 to {MaxRegionSide} px");
        foreach (var box in Boxes ?? [])
        {
            if (!IsRegionSide(box.Width) || !IsRegionSide(box.Height))
            {
                throw args.Invalid("bboxes", box.ToString(), $"boxes {side} high and wide");
            }
        }

        if (Polygons?.FirstOrDefault(polygon => RegionOf(polygon) is var r && (!IsRegionSide(r.Width) || !IsRegionSide(r.Height))) is { } badPolygon)
        {
            throw args.Invalid("polys", string.Join("_", badPolygon), $"polygons whose bounding box is {side} high and wide");
        }

        if ((Boxes?.Count ?? 0) + (Polygons?.Count ?? 0) > MaxRegions)
        {
            var key = Polygons is not null ? "polys" : "bboxes";
            throw CdnException.InvalidArgument($"{args.Operation}: '{key}' must hold at most {MaxRegions} regions (bboxes and polys together)");
        }
    }

    private static bool IsRegionSide(long side) => side is >= 1 and <= MaxRegionSide;

    /// <summary>The polygon's bounding box in pixels (vertices are pixel corners).</summary>
    private static (long Left, long Top, long Width, long Height) RegionOf(IReadOnlyList<PolygonPoint> polygon)
    {
        long minX = polygon.Min(p => p.X), minY = polygon.Min(p => p.Y);
        return (minX, minY, polygon.Max(p => (long)p.X) - minX, polygon.Max(p => (long)p.Y) - minY);
    }

    /// <summary>The layer to merge: the decoded merge image or the colour box, after the nested steps.</summary>
    private VipsImage Layer(VipsImage image, RenderContext context)
    {
        var layer = FileId is { } fileId
            ? ReferencedImageLoader.LoadUpright(context.Files.Get(fileId), context, "merge image")
            : ColourBox(Width == 0 ? image.Width : Math.Min(Width, image.Width), Height == 0 ? image.Height : Math.Min(Height, image.Height));
        return RenderSteps.Apply(layer, Nested, context);
    }

    private VipsImage ColourBox(int width, int height)
    {
        using var black = VipsImage.Black(width, height, bands: 4);
        using var filled = black.Linear([1], Background.ToBands(4), uchar: true);
        return filled.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>Overlay and underlay: the layer (tiled, or at its gravity or offsets) above or below the base.</summary>
    private VipsImage Layered(VipsImage image, VipsImage layer)
    {
        var fitted = FitInside(layer, image.Width, image.Height);
        using (fitted == layer ? null : fitted)
        {
            var (x, y) = Tile ? (0, 0) : Position(image, fitted);
            using var tiled = Tile ? TileOver(fitted, image.Width, image.Height) : null;
            if (Mode != MergeMode.Underlay)
            {
                return Composite(image, tiled ?? fitted, x, y);
            }

            // The result keeps the base's size: the layer goes onto a transparent canvas of that size, the base on top.
            using var canvas = tiled is null ? TransparentCanvas(fitted, x, y, image.Width, image.Height) : null;
            return Composite(canvas ?? tiled!, image, 0, 0);
        }
    }

    private static VipsImage TransparentCanvas(VipsImage layer, int x, int y, int width, int height)
    {
        using var withAlpha = layer.HasAlpha() ? null : layer.Bandjoin(255.0);
        var source = withAlpha ?? layer;
        if (x >= width || y >= height)
        {
            // Offsets past the base leave nothing of the layer, and libvips' embed refuses an image wholly outside.
            using var black = VipsImage.Black(width, height, bands: source.Bands);
            using var typed = black.Cast(source.Format);
            return typed.Copy(interpretation: source.Interpretation);
        }

        return source.Embed(x, y, width, height, Enums.Extend.Background, new double[source.Bands]);
    }

    private VipsImage Wrap(VipsImage image, VipsImage layer)
    {
        var current = image;
        void Add(VipsImage region, int x, int y)
        {
            var next = Composite(current, region, x, y);
            if (current != image)
            {
                current.Dispose();
            }

            current = next;
        }

        foreach (var box in Boxes ?? [])
        {
            using var region = Region(layer, box.Width, box.Height);
            Add(region, box.Left, box.Top);
        }

        foreach (var polygon in Polygons ?? [])
        {
            var r = RegionOf(polygon);
            int x0 = (int)Math.Max(r.Left, 0), y0 = (int)Math.Max(r.Top, 0);
            int x1 = (int)Math.Min(r.Left + r.Width, image.Width), y1 = (int)Math.Min(r.Top + r.Height, image.Height);
            if (x0 >= x1 || y0 >= y1)
            {
                continue; // entirely outside the image
            }

            using var region = Region(layer, (int)r.Width, (int)r.Height);
            using var withAlpha = region.HasAlpha() ? null : region.Bandjoin(255.0);
            using var visible = (withAlpha ?? region).ExtractArea(x0 - (int)r.Left, y0 - (int)r.Top, x1 - x0, y1 - y0);
            using var mask = PolygonMask.Image(polygon, x0, y0, x1 - x0, y1 - y0);
            using var masked = visible.Boolean(mask, Enums.OperationBoolean.And);
            Add(masked, x0, y0);
        }

        return current;
    }

    /// <summary>The layer stretched to exactly <paramref name="width"/> × <paramref name="height"/>; a plain colour is drawn at that size.</summary>
    private VipsImage Region(VipsImage layer, int width, int height)
    {
        if (IsColour && Nested.Count == 0)
        {
            return ColourBox(width, height);
        }

        using var scaled = Scale(layer, (double)width / layer.Width, (double)height / layer.Height);
        return scaled.Embed(0, 0, width, height, Enums.Extend.Copy);
    }

    private (int X, int Y) Position(VipsImage image, VipsImage layer) =>
        HasOffset ? (Left, Top) : Gravity.Place(image.Width, image.Height, layer.Width, layer.Height);

    /// <summary>
    /// sharp's tiling: repeat the layer to cover the base (an odd count along centred axes), then cut a base-sized
    /// window from the repetition, by gravity or at the offsets (clamped to the repetition).
    /// </summary>
    private VipsImage TileOver(VipsImage layer, int width, int height)
    {
        var across = (width + layer.Width - 1) / layer.Width;
        var down = (height + layer.Height - 1) / layer.Height;
        var gravity = HasOffset ? MergeGravity.Center : Gravity;
        across |= gravity.CentresAcross() ? 1 : 0;
        down |= gravity.CentresDown() ? 1 : 0;
        using var repeated = layer.Replicate(across, down);
        var (x, y) = HasOffset
            ? (Math.Min(Left, repeated.Width - width), Math.Min(Top, repeated.Height - height))
            : gravity.Place(repeated.Width, repeated.Height, width, height);
        return repeated.ExtractArea(x, y, width, height);
    }

    /// <summary>The layer, or a copy scaled down to fit inside the base when it is larger (sharp would throw).</summary>
    private static VipsImage FitInside(VipsImage layer, int width, int height)
    {
        if (layer.Width <= width && layer.Height <= height)
        {
            return layer;
        }

        var scale = Math.Min((double)width / layer.Width, (double)height / layer.Height);
        var scaled = Scale(layer, scale, scale);
        if (scaled.Width <= width && scaled.Height <= height)
        {
            return scaled;
        }

        using (scaled)
        {
            return scaled.ExtractArea(0, 0, Math.Min(scaled.Width, width), Math.Min(scaled.Height, height));
        }
    }

    /// <summary>Resamples, premultiplied when there is alpha so transparent pixels do not bleed their colour.</summary>
    private static VipsImage Scale(VipsImage layer, double horizontal, double vertical)
    {
        var stretch = Math.Abs(horizontal - vertical) > 1e-9 ? vertical : (double?)null;
        if (!layer.HasAlpha())
        {
            return layer.Resize(horizontal, Kernel, vscale: stretch);
        }

        using var premultiplied = layer.Premultiply();
        using var resized = premultiplied.Resize(horizontal, Kernel, vscale: stretch);
        using var unpremultiplied = resized.Unpremultiply();
        return unpremultiplied.Cast(Enums.BandFormat.Uchar);
    }

    private VipsImage Composite(VipsImage below, VipsImage above, int x, int y)
    {
        var composed = below.Composite2(above, Blend.ToVips(), x, y);
        if (composed.Format == Enums.BandFormat.Uchar)
        {
            return composed;
        }

        using (composed)
        {
            return composed.Cast(Enums.BandFormat.Uchar);
        }
    }
}
