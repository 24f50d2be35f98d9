using CdnProxy.Vips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.trim(t)</c>: removes border pixels that differ from the top-left pixel's colour by less than the threshold
/// <c>t</c> (sharp <c>trim</c>). If trimming would leave nothing, the image is unchanged. An animation is cut to one
/// box for all frames (the union of every frame's content, against the first frame's top-left colour), so the
/// frames keep one size and nothing moves between frames.
/// </summary>
public sealed record Trim(int Threshold) : ITransformation<Trim>, IAnimationStep
{
    public static string Name => "t.trim";

    /// <summary>Finding the box reads every pixel against the background, then the cut (measured).</summary>
    public double NanosecondsPerPixel(RenderContext context) => 130;

    public static Trim Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Trim(args.Whole("t", 10, 1, 500));
    }

    /// <summary>Finding the edges reads the whole image before the cut reads it again.</summary>
    public bool ReadsInputOutOfOrder => true;

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Cut(image, ContentBox(image, Background(image)));
    }

    public VipsImage ApplyToAnimation(VipsImage strip, Animation animation, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(animation);
        ArgumentNullException.ThrowIfNull(context);
        return animation.AllFrames(strip, context.Deadline, (frames, results) =>
        {
            var background = Background(frames[0]);
            Box? union = null;
            foreach (var frame in frames)
            {
                if (ContentBox(frame, background) is { } box)
                {
                    union = union is { } u ? u.Union(box) : box;
                }
            }

            results.AddRange(frames.Select(frame => Cut(frame, union)));
        });
    }

    // find_trim flattens an alpha channel onto the background first, so the background has no alpha value.
    private static double[] Background(VipsImage image)
    {
        var corner = image.Getpoint(0, 0);
        return image.HasAlpha() ? corner[..^1] : corner;
    }

    /// <summary>libvips smooths with a 3 × 3 median before it looks for the edges, and refuses a smaller image.</summary>
    private const int MinimumSide = 3;

    /// <summary>The box holding everything that differs from the background, or null when nothing does (or the image is too small to judge).</summary>
    private Box? ContentBox(VipsImage image, double[] background)
    {
        if (image.Width < MinimumSide || image.Height < MinimumSide)
        {
            return null;
        }

        var (left, top, width, height) = image.FindTrimBox(Threshold, background);
        return width <= 0 || height <= 0 ? null : new Box(left, top, width, height);
    }

    private static VipsImage Cut(VipsImage image, Box? box) =>
        box is not { } b || (b.Width == image.Width && b.Height == image.Height)
            ? image
            : image.ExtractArea(b.Left, b.Top, b.Width, b.Height);

    private readonly record struct Box(int Left, int Top, int Width, int Height)
    {
        public Box Union(Box other)
        {
            int left = Math.Min(Left, other.Left), top = Math.Min(Top, other.Top);
            int right = Math.Max(Left + Width, other.Left + other.Width), bottom = Math.Max(Top + Height, other.Top + other.Height);
            return new Box(left, top, right - left, bottom - top);
        }
    }
}
