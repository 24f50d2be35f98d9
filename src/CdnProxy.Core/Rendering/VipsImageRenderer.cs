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
            VipsImage image = Load(source, loader, plan, context, out var format);
            try
            {
                stage = "transform";
                image = ToSrgb(image);
                foreach (var step in plan.Transformations)
                {
                    image = Replace(image, step.Apply(image, context));
                    image = Replace(image, Clamp(image, context.Limits));
                }

                if ((long)image.Width * image.Height <= TimedSplitMaxPixels)
                {
                    image = Replace(image, image.CopyMemory());
                }

                var transformed = _time.GetTimestamp();
                stage = "encode";
                var outputFormat = plan.Output.Format == OutputFormat.Source ? format : plan.Output.Format;
                var bytes = _encoder.Encode(image, outputFormat, plan.Output.Quality);
                return new RenderedImage(
                    bytes,
                    ContentTypeSniffer.Sniff(bytes),
                    image.Width,
                    image.Height,
                    _time.GetElapsedTime(started, transformed),
                    _time.GetElapsedTime(transformed));
            }
            finally
            {
                image.Dispose();
            }
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

    private static VipsImage Load(ReadOnlySpan<byte> source, string loader, RenderPlan plan, RenderContext context, out OutputFormat format)
    {
        // Opening reads only the header: sizes and metadata, no pixels yet.
        var header = VipsLoader.Load(loader, source);
        try
        {
            if ((long)header.Width * header.Height > context.Limits.MaxSourcePixels)
            {
                throw new CdnException(CdnErrorKind.LimitExceeded, "The original has more pixels than this server accepts");
            }

            format = SourceFormat.FromLoader(loader, string.Equals(header.GetString("heif-compression"), "av1", StringComparison.Ordinal));
            var sideways = header.GetInt("orientation") is >= 5 and <= 8;
            var (uprightWidth, uprightHeight) = sideways ? (header.Height, header.Width) : (header.Width, header.Height);
            if (plan.Transformations.Count > 0
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

    // libvips reports decode failures under the loader's name (jpegload_buffer, VipsJpeg, VipsForeignLoad...).
    private static bool IsSourceFault(VipsException e, string stage) =>
        stage == "decode"
        || e.Message.Contains("load", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("VipsJpeg", StringComparison.Ordinal)
        || e.Message.Contains("premature", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("truncated", StringComparison.OrdinalIgnoreCase);
}
