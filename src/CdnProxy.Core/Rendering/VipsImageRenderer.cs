using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Transformations;
using CdnProxy.Vips;
using static CdnProxy.Core.Rendering.RenderSteps;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// The render, in order: find the loader → check the source size from its header → load (shrink-on-load when
/// the first step allows it) → auto-orient → to sRGB 8-bit → the plan's steps in URL order, each result clamped
/// to the output limits → encode (metadata stripped). Every intermediate image is disposed as soon as it is replaced.
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
            VipsImage image = Load(source, loader, plan, context, out var outputFormat, out var animation);
            try
            {
                stage = "transform";
                image = ToSrgb(image);
                foreach (var step in plan.Transformations)
                {
                    image = Replace(image, animation is null ? step.Apply(image, context) : ApplyToFrames(step, image, animation, context));
                    image = Replace(image, Clamp(image, context.Limits, animation));
                }

                if ((long)image.Width * image.Height <= TimedSplitMaxPixels)
                {
                    image = Replace(image, image.CopyMemory());
                }

                var transformed = _time.GetTimestamp();
                stage = "encode";
                var bytes = _encoder.Encode(image, outputFormat, plan.Output.Quality);
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
        catch (VipsException e) when (IsMissingCodec(e))
        {
            throw new CdnException(CdnErrorKind.UnsupportedFormat, "The original uses a codec this server cannot decode (e.g. HEVC/HEIC)", e);
        }
        catch (VipsException e) when (IsSourceFault(e, stage))
        {
            throw new CdnException(CdnErrorKind.UndecodableImage, "The original could not be decoded: it is corrupt or truncated", e);
        }
        catch (VipsException e)
        {
            throw new CdnException(CdnErrorKind.RenderFailed, "The image could not be rendered", e);
        }
        finally
        {
            VipsRuntime.ReleaseThreadResources();
        }
    }

    /// <summary>
    /// Opens the source: every frame as one strip when the output keeps the animation (<paramref name="animation"/>
    /// set), else only the first page, shrunk on load when the first step allows it.
    /// </summary>
    private static VipsImage Load(
        ReadOnlySpan<byte> source, string loader, RenderPlan plan, RenderContext context, out OutputFormat outputFormat, out Animation? animation)
    {
        // Opening reads only the header: sizes, page count and metadata, no pixels yet.
        var header = VipsLoader.Load(loader, source);
        try
        {
            if ((long)header.Width * header.Height > context.Limits.MaxSourcePixels)
            {
                throw new CdnException(CdnErrorKind.LimitExceeded, "The original has more pixels than this server accepts");
            }

            var format = SourceFormat.FromLoader(loader, string.Equals(header.GetString("heif-compression"), "av1", StringComparison.Ordinal));
            (outputFormat, var animate) = Animation.ChooseOutput(plan.Output, format, header.Pages);
            animation = null;
            if (animate)
            {
                context.Limits.CheckAnimation(header.Width, header.Height, header.Pages);
                return LoadAnimation(source, loader, header, out animation);
            }

            var sideways = header.GetInt("orientation") is >= 5 and <= 8;
            var (uprightWidth, uprightHeight) = sideways ? (header.Height, header.Width) : (header.Width, header.Height);
            // libvips' thumbnail converts CMYK with the relative intent whatever it is told; sharp uses perceptual.
            if (plan.Transformations.Count > 0
                && header.Interpretation != VipsInterpretation.Cmyk
                && plan.Transformations[0] is IShrinkOnLoad first
                && first.PlanLoad(uprightWidth, uprightHeight, context) is { } target)
            {
                var thumbnail = VipsLoader.Thumbnail(source, target.Width, target.Height, target.Stretch);

                if (plan.Transformations.Count == 1)
                {
                    return thumbnail;
                }

                // The thumbnail reads its source sequentially; later steps may need random access. CopyMemory
                // decodes, so it throws for corrupt sources: the thumbnail must be released either way.
                using (thumbnail)
                {
                    return thumbnail.CopyMemory();
                }
            }

            return header.Autorotate();
        }
        finally
        {
            header.Dispose();
        }
    }

    /// <summary>
    /// Every frame, as one strip. No shrink-on-load: libvips' thumbnail resizes the strip as one image, so its
    /// kernel mixes the rows of neighbouring frames; the first resize runs on each frame instead (docs/operations.md).
    /// </summary>
    private static VipsImage LoadAnimation(ReadOnlySpan<byte> source, string loader, VipsImage header, out Animation? animation)
    {
        // Decoded once into memory (bounded by the frame cap): the per-frame steps read the frames out of order,
        // and the GIF decoder would otherwise decode the strip again for each of them.
        using var lazy = VipsLoader.Load(loader, source, allPages: true);
        var strip = lazy.CopyMemory();
        animation = Animation.Of(strip);
        if (animation is null)
        {
            // Pages of unequal heights make no animation: the first page only, never the whole strip as one tall image.
            strip.Dispose();
            return header.Autorotate();
        }

        if (header.GetInt("orientation") is null or 1)
        {
            return strip;
        }

        using (strip)
        {
            return animation.EachFrame(strip, frame => frame.Autorotate());
        }
    }

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
            ? image.Resize(scale, null, "lanczos3")
            : animation.EachFrame(image, frame => frame.Resize(scale, null, "lanczos3"));
    }

    // libheif's decoders are plug-ins; the bundled build has AV1 but no HEVC decoder, so HEIC fails only when decoded.
    private static bool IsMissingCodec(VipsException e) =>
        e.Message.Contains("compression format has not been built in", StringComparison.OrdinalIgnoreCase);

    // libvips reports decode failures under the loader's name (jpegload_buffer, VipsJpeg, VipsForeignLoad...).
    private static bool IsSourceFault(VipsException e, string stage) =>
        stage == "decode"
        || e.Message.Contains("load", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("VipsJpeg", StringComparison.Ordinal)
        || e.Message.Contains("premature", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("truncated", StringComparison.OrdinalIgnoreCase);
}
