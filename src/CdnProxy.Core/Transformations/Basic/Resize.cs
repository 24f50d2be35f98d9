using CdnProxy.Core.Transformations.Faces;
using NetVips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.resize(h,w,f,b,p,k,dpr)</c> with sharp's semantics: 0 means "auto" for a side; with both sides,
/// <c>f</c> decides cover (crop), contain (letterbox with <c>b</c>), fill (stretch), inside or outside.
/// </summary>
public sealed record Resize(int Height, int Width, ResizeFit Fit, Rgba Background, Position Position, Enums.Kernel Kernel, double Dpr)
    : ITransformation<Resize>, IShrinkOnLoad
{
    private static readonly EnumArgument<ResizeFit> Fits = new(
        ("cover", ResizeFit.Cover), ("contain", ResizeFit.Contain), ("fill", ResizeFit.Fill),
        ("inside", ResizeFit.Inside), ("outside", ResizeFit.Outside));

    private static readonly EnumArgument<Enums.Kernel> Kernels = new(
        ("nearest", Enums.Kernel.Nearest), ("cubic", Enums.Kernel.Cubic), ("mitchell", Enums.Kernel.Mitchell),
        ("lanczos2", Enums.Kernel.Lanczos2), ("lanczos3", Enums.Kernel.Lanczos3));

    public static string Name => "t.resize";

    /// <summary>Resampling with a lanczos or cubic kernel, per pixel of the larger side of the step (measured).</summary>
    public double NanosecondsPerPixel(RenderContext context) => 25;

    /// <summary><c>p:face</c> reads the input twice: once to find the faces, once to resample it.</summary>
    public bool ReadsInputOutOfOrder => Position == Position.Face;

    public static Resize Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Resize(
            Height: args.Whole("h", 0, 0, 100_000),
            Width: args.Whole("w", 0, 0, 100_000),
            Fit: args.Choice("f", ResizeFit.Cover, Fits),
            Background: args.Color("b", Rgba.Black),
            Position: args.Choice("p", Position.Center, PositionExtensions.Tokens),
            Kernel: args.Choice("k", Enums.Kernel.Lanczos3, Kernels),
            Dpr: args.Real("dpr", 1, 0.1, 5));
    }

    public LoadTarget? PlanLoad(int sourceWidth, int sourceHeight, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Geometry(sourceWidth, sourceHeight, context) is { } g && (g.ScaledWidth != sourceWidth || g.ScaledHeight != sourceHeight)
            ? new LoadTarget(g.ScaledWidth, g.ScaledHeight)
            : null;
    }

    public ImageSize OutputSize(ImageSize input, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Geometry((int)input.Width, (int)input.Height, context) is { } g
            ? g.HasBox ? new ImageSize(g.BoxWidth, g.BoxHeight) : new ImageSize(g.ScaledWidth, g.ScaledHeight)
            : input;
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        return ApplyShrunk(image, image.Width, image.Height, context);
    }

    public VipsImage ApplyShrunk(VipsImage image, int sourceWidth, int sourceHeight, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(context);
        if (Geometry(sourceWidth, sourceHeight, context) is not { } g)
        {
            return image;
        }

        var scaled = g.ScaledWidth == image.Width && g.ScaledHeight == image.Height ? image : Resample(image, g);
        // Without a box the size is libvips' (sharp's too), even where it rounds the other side differently.
        if (!g.HasBox || (scaled.Width == g.BoxWidth && scaled.Height == g.BoxHeight))
        {
            return scaled;
        }

        using (scaled == image ? null : scaled)
        {
            return Fit == ResizeFit.Cover ? Crop(image, scaled, g, context) : Letterbox(scaled, g);
        }
    }

    /// <summary>
    /// Resamples as sharp does: each axis from the image's size to the unrounded planned one (both by the factor of
    /// the side that decides, unless <c>fill</c>), leaving the rounding to libvips. After a shrink-on-load the image is
    /// a little larger than source/shrink (decoders round up), and the factors absorb that. Rounded sizes for the
    /// factors would move nearest-neighbour's sampling grid by whole pixels.
    /// </summary>
    private VipsImage Resample(VipsImage image, ResizeGeometry g)
    {
        var (hscale, vscale) = g.Stretch
            ? ((double)g.ScaledWidth / image.Width, (double)g.ScaledHeight / image.Height)
            : (g.ExactWidth / image.Width, g.ExactHeight / image.Height);
        return image.Resize(hscale, Kernel, vscale: vscale);
    }

    /// <summary>Cuts the box out at <c>p</c>; like sharp, never larger than the resampled image (libvips may round a side down).</summary>
    private VipsImage Crop(VipsImage source, VipsImage scaled, ResizeGeometry g, RenderContext context)
    {
        int width = Math.Min(g.BoxWidth, scaled.Width), height = Math.Min(g.BoxHeight, scaled.Height);
        if (Position == Position.Face)
        {
            return FaceCrop.Cut(source, scaled, width, height, context);
        }

        if (Position.IsSmart())
        {
            // Smartcrop reads its input several times: the resampled image (at most the output limit) is computed once,
            // the source still streams.
            using var resampled = RenderDeadline.InMemory(scaled, context.Deadline);
            return resampled.Smartcrop(width, height, interesting: Position == Position.Attention ? Enums.Interesting.Attention : Enums.Interesting.Entropy);
        }

        return scaled.ExtractArea(
            Position.Offset(scaled.Width, width, horizontal: true),
            Position.Offset(scaled.Height, height, horizontal: false),
            width,
            height);
    }

    private VipsImage Letterbox(VipsImage scaled, ResizeGeometry g)
    {
        var x = Position.Offset(g.BoxWidth, scaled.Width, horizontal: true);
        var y = Position.Offset(g.BoxHeight, scaled.Height, horizontal: false);
        return scaled.PaintWith(Background, (target, fill) => target.Embed(x, y, g.BoxWidth, g.BoxHeight, Enums.Extend.Background, fill));
    }

    /// <summary>The resampled size and the final box for a source of the given size; null when nothing changes.</summary>
    private ResizeGeometry? Geometry(int sourceWidth, int sourceHeight, RenderContext context)
    {
        var dpr = Dpr * context.Dpr;
        double w = Width * dpr, h = Height * dpr;
        if (w <= 0 && h <= 0)
        {
            return null;
        }

        double sx = w / sourceWidth, sy = h / sourceHeight;
        (double ScaleX, double ScaleY, bool WidthDecides) scale = (w > 0, h > 0, Fit) switch
        {
            (true, false, _) => (sx, sx, true),
            (false, true, _) => (sy, sy, false),
            (_, _, ResizeFit.Fill) => (sx, sy, true),
            (_, _, ResizeFit.Cover or ResizeFit.Outside) => sx >= sy ? (sx, sx, true) : (sy, sy, false),
            _ => sx <= sy ? (sx, sx, true) : (sy, sy, false),
        };

        double scaledWidth = sourceWidth * scale.ScaleX, scaledHeight = sourceHeight * scale.ScaleY;
        bool hasBox = w > 0 && h > 0 && Fit is ResizeFit.Cover or ResizeFit.Contain;
        double boxWidth = hasBox ? w : scaledWidth, boxHeight = hasBox ? h : scaledHeight;

        // Pixelbin clamps oversized results instead of failing: shrink everything by the same factor.
        var clamp = context.Limits.OutputScale(Math.Max(boxWidth, scaledWidth), Math.Max(boxHeight, scaledHeight), context.Frames);
        // Clamped sizes round down, so rounding never lifts the result back over the limit (7745.97 × 5163.98 is 40 MP,
        // 7746 × 5164 is not).
        // A clamped resample aims at those whole sizes, so libvips' own rounding cannot lift it back either.
        Func<double, int> pixels = clamp < 1 ? FloorPixels : Pixels;
        return new ResizeGeometry(
            ExactWidth: clamp < 1 ? pixels(scaledWidth * clamp) : scaledWidth,
            ExactHeight: clamp < 1 ? pixels(scaledHeight * clamp) : scaledHeight,
            ScaledWidth: pixels(scaledWidth * clamp),
            ScaledHeight: pixels(scaledHeight * clamp),
            BoxWidth: pixels(boxWidth * clamp),
            BoxHeight: pixels(boxHeight * clamp),
            WidthDecides: scale.WidthDecides,
            HasBox: hasBox,
            Stretch: Fit == ResizeFit.Fill && w > 0 && h > 0);
    }

    private static int Pixels(double size) => Math.Max(1, (int)Math.Round(size, MidpointRounding.AwayFromZero));

    // The small tolerance keeps an exact limit (10000.0 computed as 9999.999999) at the limit.
    private static int FloorPixels(double size) => Math.Max(1, (int)Math.Floor(size + 1e-6));

    private sealed record ResizeGeometry(
        double ExactWidth,
        double ExactHeight,
        int ScaledWidth, int ScaledHeight, int BoxWidth, int BoxHeight, bool WidthDecides, bool HasBox, bool Stretch);
}
