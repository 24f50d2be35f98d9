using CdnProxy.Core.Rendering;
using CdnProxy.Vips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.resize(h,w,f,b,p,k,dpr)</c> with sharp's semantics: 0 means "auto" for a side; with both sides,
/// <c>f</c> decides cover (crop), contain (letterbox with <c>b</c>), fill (stretch), inside or outside.
/// </summary>
public sealed record Resize(int Height, int Width, ResizeFit Fit, Rgba Background, Position Position, string Kernel, double Dpr)
    : ITransformation<Resize>, IShrinkOnLoad
{
    private static readonly EnumArgument<ResizeFit> Fits = new(
        ("cover", ResizeFit.Cover), ("contain", ResizeFit.Contain), ("fill", ResizeFit.Fill),
        ("inside", ResizeFit.Inside), ("outside", ResizeFit.Outside));

    private static readonly EnumArgument<ResizeKernel> Kernels = new(
        ("nearest", ResizeKernel.Nearest), ("cubic", ResizeKernel.Cubic), ("mitchell", ResizeKernel.Mitchell),
        ("lanczos2", ResizeKernel.Lanczos2), ("lanczos3", ResizeKernel.Lanczos3));

    // Only lanczos3 matches what libvips' shrink-on-load path uses for its final resample.
    private const string ShrinkOnLoadKernel = "lanczos3";

    public static string Name => "t.resize";

    public static Resize Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Resize(
            Height: args.Whole("h", 0, 0, 100_000),
            Width: args.Whole("w", 0, 0, 100_000),
            Fit: args.Choice("f", ResizeFit.Cover, Fits),
            Background: args.Color("b", Rgba.Black),
            Position: args.Choice("p", Position.Center, PositionExtensions.Tokens),
            Kernel: Kernels.Format(args.Choice("k", ResizeKernel.Lanczos3, Kernels)),
            Dpr: args.Real("dpr", 1, 0.1, 5));
    }

    public LoadTarget? PlanLoad(int sourceWidth, int sourceHeight, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Kernel != ShrinkOnLoadKernel || Geometry(sourceWidth, sourceHeight, context) is not { } g)
        {
            return null;
        }

        if (g.Stretch)
        {
            return new LoadTarget(g.ScaledWidth, g.ScaledHeight, Stretch: true);
        }

        // Constrain only the side that decided the scale, so libvips lands on exactly our rounded size.
        return g.WidthDecides
            ? new LoadTarget(g.ScaledWidth, LoadTarget.Unbounded, Stretch: false)
            : new LoadTarget(LoadTarget.Unbounded, g.ScaledHeight, Stretch: false);
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(context);
        if (Geometry(image.Width, image.Height, context) is not { } g)
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
            return Fit == ResizeFit.Cover ? Crop(scaled, g) : Letterbox(scaled, g);
        }
    }

    /// <summary>
    /// Resamples as sharp does: both axes by the factor of the side that decides (each its own only for
    /// <c>fill</c>), leaving the other side's rounding to libvips. A separate factor for that side (its rounded size
    /// over the source size) would move nearest-neighbour's sampling grid by whole pixels.
    /// </summary>
    private VipsImage Resample(VipsImage image, ResizeGeometry g)
    {
        double hscale = (double)g.ScaledWidth / image.Width, vscale = (double)g.ScaledHeight / image.Height;
        if (!g.Stretch)
        {
            (hscale, vscale) = g.WidthDecides ? (hscale, hscale) : (vscale, vscale);
        }

        return image.Resize(hscale, vscale, Kernel);
    }

    /// <summary>Cuts the box out at <c>p</c>; like sharp, never larger than the resampled image (libvips may round a side down).</summary>
    private VipsImage Crop(VipsImage scaled, ResizeGeometry g)
    {
        int width = Math.Min(g.BoxWidth, scaled.Width), height = Math.Min(g.BoxHeight, scaled.Height);
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
        return scaled.PaintWith(Background, (target, fill) => target.Embed(x, y, g.BoxWidth, g.BoxHeight, fill));
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
        var clamp = context.Limits.OutputScale(Math.Max(boxWidth, scaledWidth), Math.Max(boxHeight, scaledHeight));
        return new ResizeGeometry(
            ScaledWidth: Pixels(scaledWidth * clamp),
            ScaledHeight: Pixels(scaledHeight * clamp),
            BoxWidth: Pixels(boxWidth * clamp),
            BoxHeight: Pixels(boxHeight * clamp),
            WidthDecides: scale.WidthDecides,
            HasBox: hasBox,
            Stretch: Fit == ResizeFit.Fill && w > 0 && h > 0);
    }

    private static int Pixels(double size) => Math.Max(1, (int)Math.Round(size, MidpointRounding.AwayFromZero));

    private enum ResizeKernel
    {
        Nearest,
        Cubic,
        Mitchell,
        Lanczos2,
        Lanczos3,
    }

    private sealed record ResizeGeometry(
        int ScaledWidth, int ScaledHeight, int BoxWidth, int BoxHeight, bool WidthDecides, bool HasBox, bool Stretch);
}
