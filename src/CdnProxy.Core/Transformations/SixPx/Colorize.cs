namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.colorize(c,s)</c>, 6px's <c>colorize</c> (<c>hex</c>, <c>strength</c> 0–100; CamanJS): every colour
/// value moves towards the colour <c>c</c> by s/100 (100 paints the image in <c>c</c>). The colour's alpha is ignored.
/// </summary>
public sealed record Colorize(Rgba Color, double Strength) : ITransformation<Colorize>, IStripSafe
{
    public static string Name => SixPxFilter.Namespace + "colorize";

    public static Colorize Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Colorize(args.Color("c", new Rgba(0, 0, 255, 255)), args.Real("s", 50, 0, 100));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        if (Strength == 0)
        {
            return image;
        }

        var s = Strength / 100;
        double[] target = [Color.R * s, Color.G * s, Color.B * s];
        return ColourBands.Map(image, colour => colour.Linear([1 - s], target));
    }
}
