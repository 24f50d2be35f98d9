namespace CdnProxy.Core.Transformations.SixPx;

/// <summary><c>filter.invert(a)</c>, 6px's <c>invert</c>: each colour value v becomes 255 − v (alpha kept); <c>a:false</c> leaves the image alone.</summary>
public sealed record Invert(bool Enabled) : ITransformation<Invert>, IStripSafe
{
    public static string Name => SixPxFilter.Namespace + "invert";

    public static Invert Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Invert(args.Flag(SixPxFilter.Amount, true));
    }

    public VipsImage Apply(VipsImage image, RenderContext context) =>
        Enabled ? ColourBands.Map(image, colour => colour.Linear([-1.0], [255.0])) : image;
}
