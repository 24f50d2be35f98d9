namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.vibrance(a)</c>, 6px's <c>vibrance</c> −100–100 (CamanJS): saturation weighted by how saturated the
/// pixel already is (2·|max − mean|/255), so dull colours gain more than vivid ones; below 0 colours dull.
/// </summary>
public sealed record Vibrance(int Amount) : ITransformation<Vibrance>, IStripSafe
{
    public static string Name => SixPxFilter.Namespace + "vibrance";

    public double NanosecondsPerPixel(RenderContext context) => 20;

    public static Vibrance Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Vibrance(args.Whole(SixPxFilter.Amount, 0, -100, 100));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        if (Amount == 0)
        {
            return image;
        }

        return ColourBands.Map(image, colour =>
        {
            using var max = ColourBands.Max(colour);
            using var sum = colour.Bandmean();
            using var difference = max - sum;
            using var spread = difference.Abs();

            // CamanJS: amount = (|max − avg|·2/255)·(−a)/100, each value moved towards max by it.
            using var amount = spread.Linear([2 / 255.0 * -Amount / 100.0], [0.0]);
            return ColourBands.TowardsPerPixel(colour, max, amount);
        });
    }
}
