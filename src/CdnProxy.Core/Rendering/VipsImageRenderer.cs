using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;
using CdnProxy.Vips;
using static CdnProxy.Core.Transformations.RenderSteps;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// The render, in order: find the loader → check the source size from its header → load (shrunk on load when the
/// first step resizes) → upright → to sRGB 8-bit → the plan's steps in URL order, each result clamped to the output
/// limits → encode (metadata stripped). Every intermediate image is disposed as soon as it is replaced.
/// </summary>
public sealed class VipsImageRenderer : IImageRenderer
{
    // Pixels below this are materialised before encoding so the two stages can be timed apart.
    private const long TimedSplitMaxPixels = 4_000_000;

    private readonly ImageEncoder _encoder;
    private readonly TimeProvider _time;

    public VipsImageRenderer(ImageEncoder encoder, TimeProvider time)
    {
        _encoder = encoder;
        _time = time;
    }

    public RenderedImage Render(ReadOnlySpan<byte> source, RenderPlan plan, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        var loader = VipsLoader.FindLoader(source)
            ?? throw new CdnException(CdnErrorKind.UnsupportedFormat, "The original is not in a supported image format");

        var started = _time.GetTimestamp();
        var stage = "decode";
        try
        {
            var loaded = Load(source, loader, plan, context);
            var (image, animation) = (loaded.Image, loaded.Animation);
            try
            {
                stage = "transform";
                var converted = ToSrgb(image);
                var computed = loaded.Computed && ReferenceEquals(converted, image);
                image = converted;
                var shrunkFrom = loaded.ShrunkFrom;
                foreach (var step in plan.Transformations)
                {
                    if (step.ReadsInputOutOfOrder && !computed && animation is null)
                    {
                        image = Replace(image, image.CopyMemory());
                    }

                    var next = (animation, shrunkFrom, step) switch
                    {
                        (not null, _, _) => ApplyToFrames(step, image, animation, context),
                        (null, { } original, IShrinkOnLoad first) => first.ApplyShrunk(image, original.Width, original.Height, context),
                        _ => step.Apply(image, context),
                    };
                    shrunkFrom = null;
                    computed &= ReferenceEquals(next, image);
                    image = Replace(image, next);
                    var clamped = Clamp(image, context.Limits, animation);
                    computed &= ReferenceEquals(clamped, image);
                    image = Replace(image, clamped);
                }

                if ((long)image.Width * image.Height <= TimedSplitMaxPixels)
                {
                    image = Replace(image, image.CopyMemory());
                }

                var transformed = _time.GetTimestamp();
                stage = "encode";
                var bytes = _encoder.Encode(image, loaded.OutputFormat, plan.Output.Quality);
                return new RenderedImage(
                    bytes,
                    ContentTypeSniffer.Sniff(bytes),
                    image.Width,
                    image.Height / (animation?.FrameCount ?? 1),
                    _time.GetElapsedTime(started, transformed),
                    _time.GetElapsedTime(transformed));
            }
            finally
            {
                image.Dispose();
            }
        }
        catch (NetVips.VipsException e) when (IsMissingCodec(e))
        {
            throw new CdnException(CdnErrorKind.UnsupportedFormat, "The original uses a codec this server cannot decode (e.g. HEVC/HEIC)", e);
        }
        catch (NetVips.VipsException e) when (IsSourceFault(e, stage))
        {
            throw new CdnException(CdnErrorKind.UndecodableImage, "The original could not be decoded: it is corrupt or truncated", e);
        }
        catch (NetVips.VipsException e)
        {
            throw new CdnException(CdnErrorKind.RenderFailed, "The image could not be rendered", e);
        }
    }

    /// <summary>
    /// Opens the source: every frame as one strip when the output keeps the animation, else only the first page,
    /// decoded at 1/2, 1/4 or 1/8 of its size when the first step shrinks it at least that much.
    /// </summary>
    private static LoadedSource Load(ReadOnlySpan<byte> source, string loader, RenderPlan plan, RenderContext context)
    {
        // Opening reads only the header: sizes, page count and metadata, no pixels yet.
        using var header = VipsLoader.Load(loader, source);
        if ((long)header.Width * header.Height > context.Limits.MaxSourcePixels)
        {
            throw new CdnException(CdnErrorKind.LimitExceeded, "The original has more pixels than this server accepts");
        }

        var format = SourceFormat.FromLoader(loader, string.Equals(header.GetString("heif-compression"), "av1", StringComparison.Ordinal));
        var (outputFormat, animate) = Animation.ChooseOutput(plan.Output, format, header.Pages());
        if (animate)
        {
            context.Limits.CheckAnimation(header.Width, header.Height, header.Pages());
            var (strip, animation) = LoadAnimation(source, loader, header);
            return new LoadedSource(strip, outputFormat, animation, null, Computed: true);
        }

        // Streamed decoding (least memory) only when every read is in order: upright needs no turn, no step jumps.
        var sequential = header.GetInt("orientation") is null or 1 or 2 && !plan.Transformations.Any(t => t.ReadsInputOutOfOrder);
        var sideways = header.GetInt("orientation") is >= 5 and <= 8;
        var (uprightWidth, uprightHeight) = sideways ? (header.Height, header.Width) : (header.Width, header.Height);
        if (plan.Transformations.Count > 0
            && plan.Transformations[0] is IShrinkOnLoad first
            && first.PlanLoad(uprightWidth, uprightHeight, context) is { } target)
        {
            var reduction = Math.Min((double)uprightWidth / target.Width, (double)uprightHeight / target.Height);
            var shrink = VipsLoader.ShrinkOnLoadFactor(loader, reduction);
            if (shrink > 1)
            {
                using var shrunk = VipsLoader.LoadShrunk(loader, source, shrink, sequential);
                return new LoadedSource(Upright(shrunk), outputFormat, null, (uprightWidth, uprightHeight), Computed: !sequential && header.GetInt("orientation") is null or 1);
            }
        }

        // A random-access decode computes the whole image once, on first read; turning it upright makes it lazy again.
        return new LoadedSource(Upright(header), outputFormat, null, null, Computed: header.GetInt("orientation") is null or 1);
    }

    /// <summary>
    /// Every frame, as one strip. No shrink-on-load: the first resize runs on each frame, so its kernel never mixes
    /// the rows of neighbouring frames (docs/operations.md).
    /// </summary>
    private static (VipsImage Strip, Animation? Animation) LoadAnimation(ReadOnlySpan<byte> source, string loader, VipsImage header)
    {
        // Decoded once into memory (bounded by the frame cap): the per-frame steps read the frames out of order,
        // and the GIF decoder would otherwise decode the strip again for each of them.
        using var lazy = VipsLoader.Load(loader, source, allPages: true);
        var strip = lazy.CopyMemory();
        var animation = Animation.Of(strip);
        if (animation is null)
        {
            // Pages of unequal heights make no animation: the first page only, never the whole strip as one tall image.
            strip.Dispose();
            return (Upright(header), null);
        }

        if (header.GetInt("orientation") is null or 1)
        {
            return (strip, animation);
        }

        using (strip)
        {
            return (animation.EachFrame(strip, Upright), animation);
        }
    }

    /// <summary>A new reference to the image turned upright by its EXIF orientation (the tag removed).</summary>
    private static VipsImage Upright(VipsImage image) =>
        image.GetInt("orientation") is null or 1 ? image.Copy() : image.Autorot();

    /// <summary>
    /// One step on an animation: on each frame (always correct), unless the step knows a better way (it must see
    /// all frames at once, or may run once on the whole strip).
    /// </summary>
    private static VipsImage ApplyToFrames(ITransformation step, VipsImage strip, Animation animation, RenderContext context) =>
        step is IAnimationStep aware
            ? aware.ApplyToAnimation(strip, animation, context)
            : animation.EachFrame(strip, frame => step.Apply(frame, context));

    /// <summary>
    /// Pixelbin clamps results to 10000 px a side and 40 MP, after every step. For an animation those limits hold
    /// per frame, and all frames together stay within the animation pixel limit.
    /// </summary>
    private static VipsImage Clamp(VipsImage image, RenderLimits limits, Animation? animation)
    {
        var frames = animation?.FrameCount ?? 1;
        var scale = limits.OutputScale(image.Width, image.Height / frames, frames);
        if (scale >= 1)
        {
            return image;
        }

        return animation is null
            ? image.Resize(scale, NetVips.Enums.Kernel.Lanczos3)
            : animation.EachFrame(image, frame => frame.Resize(scale, NetVips.Enums.Kernel.Lanczos3));
    }

    // libheif's decoders are plug-ins; the bundled build has AV1 but no HEVC decoder, so HEIC fails only when decoded.
    private static bool IsMissingCodec(NetVips.VipsException e) =>
        e.Message.Contains("compression format has not been built in", StringComparison.OrdinalIgnoreCase);

    // libvips reports decode failures under the loader's name (jpegload_buffer, VipsJpeg, VipsForeignLoad...).
    private static bool IsSourceFault(NetVips.VipsException e, string stage) =>
        stage == "decode"
        || e.Message.Contains("load", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("VipsJpeg", StringComparison.Ordinal)
        || e.Message.Contains("premature", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("truncated", StringComparison.OrdinalIgnoreCase);

    /// <summary>The opened source and what loading decided.</summary>
    /// <param name="Image">Upright, not yet converted to sRGB.</param>
    /// <param name="OutputFormat">The format to encode.</param>
    /// <param name="Animation">The frames' layout when the output keeps the animation.</param>
    /// <param name="ShrunkFrom">The upright source size when decoding shrank it.</param>
    /// <param name="Computed">True when reading the image's pixels in any order computes each of them once.</param>
    private sealed record LoadedSource(
        VipsImage Image, OutputFormat OutputFormat, Animation? Animation, (int Width, int Height)? ShrunkFrom, bool Computed);
}
