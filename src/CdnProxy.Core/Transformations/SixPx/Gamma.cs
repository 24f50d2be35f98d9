namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.gamma(a)</c>, 6px's <c>gamma</c> 0–100 (CamanJS): each colour value v becomes 255·(v/255)^a, so 1
/// changes nothing, above 1 darkens the mid-tones and below 1 lightens them (0 turns everything white).
/// </summary>
public sealed record Gamma(double Exponent) : ITransformation<Gamma>, IStripSafe
{
    public static string Name => SixPxFilter.Namespace + "gamma";

    public double NanosecondsPerPixel(RenderContext context) => 30;

    public static Gamma Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Gamma(args.Real(SixPxFilter.Amount, 1, 0, 100));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        if (Exponent == 1)
        {
            return image;
        }

        return ColourBands.Map(image, colour =>
        {
            using var unit = colour.Linear([1 / 255.0], [0.0]);
            using var curved = unit.Pow(Exponent);
            return curved.Linear([255.0], [0.0]);
        });
    }
}
