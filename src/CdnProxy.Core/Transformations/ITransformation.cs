namespace CdnProxy.Core.Transformations;

/// <summary>A bound, validated operation of a render plan.</summary>
public interface ITransformation
{
    /// <summary>
    /// Applies the operation. Returns a new image (the caller disposes the input) or the input itself when
    /// nothing changes in the pixels.
    /// </summary>
    VipsImage Apply(VipsImage image, RenderContext context);

    /// <summary>
    /// True when the step reads its input out of order or more than once (a rotation, a vertical flip, statistics
    /// before pixels). The renderer then hands it a computed input: streamed, the decoder would fail ("out of order
    /// read"), and lazy, every earlier step would run again for each of the step's reads.
    /// </summary>
    bool ReadsInputOutOfOrder => false;

    /// <summary>
    /// How many pixels around each output pixel the step reads from an input of size <paramref name="input"/> (a
    /// convolution's or rank filter's half window); 0 when it reads each pixel alone. Windows stacked on windows make
    /// libvips compute the earlier step again for every overlapping tile, so the renderer computes such an input first.
    /// </summary>
    int WindowRadius(ImageSize input, RenderContext context) => 0;

    /// <summary>
    /// The step's CPU cost: nanoseconds of one core per pixel of the larger of its input and output, as measured on
    /// the benchmark machine (see <see cref="Rendering.RenderWork"/>). Point operations keep the default; windows,
    /// statistics and colour-space round trips cost more, and say so here.
    /// </summary>
    double NanosecondsPerPixel(RenderContext context) => Rendering.RenderWork.PointOperation;

    /// <summary>
    /// The size this step makes of an input of size <paramref name="input"/> (or a bound on it, for steps whose result
    /// depends on the pixels). Planned from the source's header before anything is decoded, so a result over the
    /// output limits is refused before it costs anything.
    /// </summary>
    ImageSize OutputSize(ImageSize input, RenderContext context) => input;

    /// <summary>The operation's name as written in URLs, e.g. <c>t.resize</c>.</summary>
    string StepName { get; }
}

/// <summary>A transformation with a catalog name and a binder; registered in the transformation catalog.</summary>
/// <typeparam name="TSelf">The transformation type itself.</typeparam>
public interface ITransformation<TSelf> : ITransformation
    where TSelf : ITransformation<TSelf>
{
    /// <summary>The name as written in URLs, e.g. <c>t.resize</c>.</summary>
    static abstract string Name { get; }

    string ITransformation.StepName => TSelf.Name;

    /// <summary>
    /// Reads and validates arguments; throws <see cref="CdnException"/> for bad ones. It reads every argument it
    /// accepts whatever the others hold: the catalogue (<see cref="TransformationCatalog.Describe"/>) is this method
    /// run once on defaults, so a key read only for some value of another would be missing from it (a test fails).
    /// </summary>
    static abstract TSelf Bind(ArgumentReader args);
}
