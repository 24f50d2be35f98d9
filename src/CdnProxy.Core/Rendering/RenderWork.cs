using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// The CPU a render needs, estimated from its plan before anything is decoded: nanoseconds of one core per pixel for
/// the decoder, each step (<see cref="ITransformation.NanosecondsPerPixel"/>) and the encoder, as measured on the
/// benchmark machine (2 vCPU; docs/benchmarks.md, per-operation cost). A guide for scheduling and for refusing what
/// cannot finish in time, not a promise: within a factor of about two of what a render takes there.
/// </summary>
public static class RenderWork
{
    /// <summary>A step that computes each pixel from itself alone (a flip, a linear map, a crop).</summary>
    public const double PointOperation = 10;

    /// <summary>Decoding, per decoded pixel (baseline JPEG: ~8 on the 3 MP photo).</summary>
    public const double DecodePerPixel = 10;

    /// <summary>Encoding, per output pixel, by format (the 3 MP photo at the default quality and effort).</summary>
    public static double EncodePerPixel(OutputFormat format) => format switch
    {
        OutputFormat.Webp => 70,
        OutputFormat.Png => 45,
        OutputFormat.Avif or OutputFormat.Heif => 190,
        OutputFormat.Gif => 450,
        _ => 10,
    };

    /// <summary><paramref name="pixels"/> at <paramref name="nanosecondsPerPixel"/>.</summary>
    public static TimeSpan Of(long pixels, double nanosecondsPerPixel) =>
        TimeSpan.FromTicks((long)(pixels * nanosecondsPerPixel / 100));
}
