using System.Globalization;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;
using CdnProxy.Core.Transformations.Faces;
using CdnProxy.Vips;
using static CdnProxy.Core.Transformations.RenderSteps;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// The render, in order: find the loader → read the header → decide how to open the source and plan the cost (every
/// step's size checked against the output limits, memory reserved from the budget) → open it (shrunk on load when
/// the first step resizes) → upright → 8-bit sRGB → the plan's steps in URL order → encode (metadata stripped).
/// The deadline stops the work inside libvips; every intermediate image is disposed as soon as it is replaced.
/// </summary>
public sealed class VipsImageRenderer : IImageRenderer
{
    private readonly ImageEncoder _encoder;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly RenderWatchdog? _watchdog;
    private readonly IFaceDetector _faces;

    // How far past its deadline a render's estimated work may go before it is refused instead of tried.
    private const double RefusedPastTheDeadline = 1.5;

    /// <param name="encoder">Encodes the result.</param>
    /// <param name="time">Times the stages and the deadline.</param>
    /// <param name="timeout">The time one render is given; none or infinite: unlimited.</param>
    /// <param name="watchdog">Stops renders past their time; none: renders are never stopped.</param>
    /// <param name="faces">Finds faces for <c>p:face</c>; none: no faces (crops by attention).</param>
    public VipsImageRenderer(
        ImageEncoder encoder, TimeProvider time, TimeSpan? timeout = null, RenderWatchdog? watchdog = null, IFaceDetector? faces = null)
    {
        _faces = faces ?? NoFaceDetector.Instance;
        _encoder = encoder;
        _time = time;
        _timeout = timeout ?? Timeout.InfiniteTimeSpan;
        _watchdog = watchdog;
    }

    public RenderCost Estimate(SourceImage source, RenderPlan plan, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        var loader = FindLoader(source);
        try
        {
            using var header = VipsLoader.Load(loader, source.Copy);
            var opening = SourceOpening.Decide(header, loader, plan, context);
            return Plan(opening, plan, context.WithFrames(opening.Frames));
        }
        catch (NetVips.VipsException e)
        {
            throw new CdnException(CdnErrorKind.UndecodableImage, "The original could not be decoded: it is corrupt or truncated", e);
        }
    }

    public RenderedImage Render(SourceImage source, RenderPlan plan, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        var loader = FindLoader(source);
        var started = _time.GetTimestamp();
        using var deadline = new RenderDeadline(_timeout, _time, _watchdog);
        var stage = "decode";
        try
        {
            // Opening reads only the header: sizes, page count and metadata, no pixels yet.
            using var header = VipsLoader.Load(loader, source.Copy);
            var opening = SourceOpening.Decide(header, loader, plan, context);
            context = context.ForRender(deadline, opening.Frames, _faces);
            _ = Plan(opening, plan, context);

            var loaded = SourceLoader.Open(source, header, opening, deadline);
            var image = loaded.Image;
            try
            {
                stage = "transform";
                // libvips streams: decoding and the steps mostly run inside the encoder's evaluation, which is what
                // "encode" measures. Computing the image first to time the stages apart cost 5 % of every render.
                image = Transform(image, loaded, opening, plan, context);
                var transformed = _time.GetTimestamp();
                stage = "encode";
                deadline.ThrowIfExpired();
                var bytes = _encoder.Encode(image, opening.OutputFormat, plan.Output.Quality);
                return new RenderedImage(
                    bytes,
                    ContentTypeSniffer.Sniff(bytes),
                    image.Width,
                    image.Height / (loaded.Animation?.FrameCount ?? 1),
                    _time.GetElapsedTime(started, transformed),
                    _time.GetElapsedTime(transformed));
            }
            finally
            {
                image.Dispose();
            }
        }
        catch (NetVips.VipsException e) when (deadline.Expired)
        {
            throw RenderDeadline.TimedOut(e);
        }
        catch (NetVips.VipsException e) when (IsMissingCodec(e))
        {
            throw new CdnException(CdnErrorKind.UnsupportedFormat, "The original uses a codec this server cannot decode (e.g. HEVC/HEIC)", e);
        }
        catch (NetVips.VipsException e) when (IsSourceFault(e, stage) || !SourceDecodes(loader, source))
        {
            throw new CdnException(CdnErrorKind.UndecodableImage, "The original could not be decoded: it is corrupt or truncated", e);
        }
        catch (NetVips.VipsException e)
        {
            throw new CdnException(CdnErrorKind.RenderFailed, "The image could not be rendered", e);
        }
    }

    /// <summary>
    /// The render's cost (<see cref="RenderCost.Plan"/>); a render whose estimated work passes its deadline by half
    /// again is refused now: on a machine like the benchmark's it could not finish, and trying would hold a worker
    /// until the deadline stopped it. Over the deadline but under that margin, it is tried (a faster machine may make it).
    /// </summary>
    private RenderCost Plan(SourceOpening opening, RenderPlan plan, RenderContext context)
    {
        var cost = RenderCost.Plan(opening, plan, context, ReferencedSizes(context));
        if (_timeout != Timeout.InfiniteTimeSpan && cost.Work > _timeout * RefusedPastTheDeadline)
        {
            throw new CdnException(CdnErrorKind.LimitExceeded, string.Create(
                CultureInfo.InvariantCulture,
                $"This would take about {cost.Work.TotalSeconds:0} s to render, more than this server gives one image ({_timeout.TotalSeconds:0.#} s): use fewer or lighter steps, or a smaller size"));
        }

        return cost;
    }

    /// <summary>
    /// To sRGB, then every step; some steps get their input computed once in memory first (<see cref="ComputedInputs"/>).
    /// </summary>
    private static VipsImage Transform(VipsImage image, LoadedSource loaded, SourceOpening opening, RenderPlan plan, RenderContext context)
    {
        var converted = ToSrgb(image);
        var inputs = new ComputedInputs(loaded.Computed && ReferenceEquals(converted, image), loaded.Animation is not null);
        image = converted;
        try
        {
            var first = true;
            foreach (var step in plan.Transformations)
            {
                context.Deadline?.ThrowIfExpired();
                var size = new ImageSize(image.Width, image.Height);
                if (inputs.Before(step, size, context))
                {
                    image = Replace(image, RenderDeadline.InMemory(image, context.Deadline));
                }

                var next = (loaded.Animation, first && opening.Shrink > 1, step) switch
                {
                    ({ } animation, _, _) => ApplyToFrames(step, image, animation, context),
                    (null, true, IShrinkOnLoad resize) => resize.ApplyShrunk(image, (int)opening.Upright.Width, (int)opening.Upright.Height, context),
                    _ => step.Apply(image, context),
                };
                inputs.After(step, size, context, unchanged: ReferenceEquals(next, image));
                first = false;
                image = Replace(image, next);
            }

            return image;
        }
        catch
        {
            // The caller still holds the image it passed in, which the first replacement disposed; this one is ours.
            image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One step on an animation: on each frame (always correct), unless the step knows a better way (it must see
    /// all frames at once, or may run once on the whole strip).
    /// </summary>
    private static VipsImage ApplyToFrames(ITransformation step, VipsImage strip, Animation animation, RenderContext context) =>
        step is IAnimationStep aware
            ? aware.ApplyToAnimation(strip, animation, context)
            : animation.EachFrame(strip, context.Deadline, frame =>
            {
                context.Deadline?.ThrowIfExpired();
                return step.Apply(frame, context);
            });

    private static string FindLoader(SourceImage source) => source.Loader
        ?? throw new CdnException(CdnErrorKind.UnsupportedFormat, "The original is not in a supported image format");

    /// <summary>The sizes of the merge images, from their headers, for the memory estimate.</summary>
    private static IEnumerable<ImageSize> ReferencedSizes(RenderContext context)
    {
        foreach (var fileId in context.Files.FileIds)
        {
            var bytes = context.Files.Get(fileId);
            if (VipsLoader.FindLoader(bytes) is { } loader)
            {
                using var header = VipsLoader.Load(loader, bytes);
                yield return new ImageSize(header.Width, header.Height);
            }
        }
    }

    // libvips' error buffer is process-wide: a failure on another render thread can take this one's message. An
    // unexplained failure is told apart by decoding the source once more, at the loader's cheapest scale (failures only).
    private static bool SourceDecodes(string loader, SourceImage source)
    {
        try
        {
            using var probe = VipsLoader.LoadShrunk(loader, source.Copy, VipsLoader.ShrinkOnLoadFactor(loader, 8), sequential: true);
            _ = probe.Avg();
            return true;
        }
        catch (NetVips.VipsException)
        {
            return false;
        }
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
}
