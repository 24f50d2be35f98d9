using System.Globalization;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// A render's cost, planned before any pixel is decoded: the size after every step (a result over the output limits
/// is refused here, naming the step) and an estimate of the memory it holds at once. The estimate counts what
/// libvips keeps whole: a decode the steps read out of order, the inputs computed in memory (<see cref="ComputedInputs"/>,
/// two at most at once), animation strips, merge images, and the output; streamed work holds only a strip.
/// </summary>
/// <param name="Output">The planned output size (one frame).</param>
/// <param name="MemoryBytes">The estimated peak memory of the render.</param>
/// <param name="Work">The estimated CPU time of the render on one core of the benchmark machine (<see cref="RenderWork"/>).</param>
public sealed record RenderCost(ImageSize Output, long MemoryBytes, TimeSpan Work)
{
    // libvips' own buffers, the encoder's state and the encoded bytes of a small image.
    private const long FixedOverheadBytes = 4 * 1024 * 1024;

    // Rows a streamed pipeline keeps per image (tile caches, a resampler's window): a generous bound.
    private const long StreamedRows = 256;

    // After the conversion to sRGB every image is 8-bit with at most four bands.
    private const int RenderedBytesPerPixel = 4;

    /// <summary>Plans <paramref name="plan"/> for a source opened as <paramref name="opening"/>; throws for results over the limits.</summary>
    public static RenderCost Plan(SourceOpening opening, RenderPlan plan, RenderContext context, IEnumerable<ImageSize> referencedImages)
    {
        ArgumentNullException.ThrowIfNull(opening);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(referencedImages);
        var frames = opening.Frames;
        var decoded = opening.Decoded;
        var decodedBytes = decoded.Pixels * opening.Bands * opening.BytesPerBand;
        long memory = FixedOverheadBytes + opening.DecoderBytes + (opening.Sequential ? decoded.Width * StreamedRows * opening.Bands * opening.BytesPerBand : decodedBytes);

        // An animation is decoded into memory and every per-frame step makes a new strip beside the old one.
        // A computed input is freed when the next one replaces it: at most two are alive at once.
        var inputs = new ComputedInputs(!opening.Sequential && !opening.Turns, opening.Animated);
        long computedInputs = 0, lastComputedInput = 0;
        var work = RenderWork.Of(decoded.Pixels * frames, RenderWork.DecodePerPixel);
        var size = opening.Upright;
        var first = true;
        foreach (var step in plan.Transformations)
        {
            if (inputs.Before(step, size, context))
            {
                var copy = size.Pixels * RenderedBytesPerPixel;
                computedInputs = Math.Max(computedInputs, lastComputedInput + copy);
                lastComputedInput = copy;
            }

            var input = size;
            size = step.OutputSize(size, context);
            CheckLimits(step, size, frames, context.Limits);

            // A first resize shrunk on load reads the decoded image, not the full-size one.
            var read = first && opening.Shrink > 1 ? decoded : input;
            work += RenderWork.Of(Math.Max(read.Pixels, size.Pixels) * frames, step.NanosecondsPerPixel(context));
            first = false;
            if (opening.Animated)
            {
                memory += size.Pixels * frames * RenderedBytesPerPixel;
            }

            inputs.After(step, input, context, unchanged: false);
        }

        CheckEncoder(opening.OutputFormat, size, context.Limits);
        memory += computedInputs;
        memory += referencedImages.Sum(image => image.Pixels * RenderedBytesPerPixel);
        memory += size.Pixels * frames * RenderedBytesPerPixel; // the output, computed before (or while) encoding
        work += RenderWork.Of(size.Pixels * frames, RenderWork.EncodePerPixel(opening.OutputFormat));
        return new RenderCost(size, memory, work);
    }

    /// <summary>Encoders libvips cannot interrupt are capped, so the render deadline still bounds them.</summary>
    private static void CheckEncoder(OutputFormat format, ImageSize size, RenderLimits limits)
    {
        var (cap, name) = format switch
        {
            OutputFormat.Avif or OutputFormat.Heif => (limits.MaxAvifPixels, format == OutputFormat.Avif ? "AVIF" : "HEIF"),
            OutputFormat.Gif => (limits.MaxGifFramePixels, "GIF"),
            _ => (long.MaxValue, string.Empty),
        };
        if (size.Pixels > cap)
        {
            throw new CdnException(CdnErrorKind.LimitExceeded, string.Create(
                CultureInfo.InvariantCulture,
                $"{name} output is limited to {cap / 1_000_000.0:0.#} MP{(format == OutputFormat.Gif ? " a frame" : string.Empty)} on this server (this one would be {size.Pixels / 1_000_000.0:0.#} MP): resize it, or choose jpeg, webp or png"));
        }
    }

    private static void CheckLimits(ITransformation step, ImageSize size, int frames, RenderLimits limits)
    {
        var perFrame = frames > 1 ? " per frame" : string.Empty;
        if (size.Width > limits.MaxOutputSide || size.Height > limits.MaxOutputSide || size.Pixels > limits.MaxOutputPixels)
        {
            throw new CdnException(CdnErrorKind.LimitExceeded, string.Create(
                CultureInfo.InvariantCulture,
                $"{step.StepName} would make the image {size} px{perFrame}, over this server's limit of {limits.MaxOutputSide} px a side and {limits.MaxOutputPixels / 1_000_000.0:0.#} MP"));
        }

        if (frames > 1 && size.Pixels * frames > limits.MaxAnimationPixels)
        {
            throw new CdnException(CdnErrorKind.LimitExceeded, string.Create(
                CultureInfo.InvariantCulture,
                $"{step.StepName} would make the animation {size.Pixels * frames / 1_000_000.0:0.#} MP over its {frames} frames, over this server's limit of {limits.MaxAnimationPixels / 1_000_000.0:0.#} MP"));
        }
    }
}
