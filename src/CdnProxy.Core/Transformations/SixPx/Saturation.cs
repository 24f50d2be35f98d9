namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.saturation(a)</c>, 6px's <c>saturation</c> −100–100 (CamanJS): every colour value moves towards or
/// away from the pixel's largest value by a/100: v − (max − v)·a/100, so −100 leaves each pixel at its max (grey)
/// and positive values push the other channels away from it.
/// </summary>
public sealed record Saturation(int Amount) : ITransformation<Saturation>, IStripSafe
{
    public static string Name => SixPxFilter.Namespace + "saturation";

    public static Saturation Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Saturation(args.Whole(SixPxFilter.Amount, 0, -100, 100));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        if (Amount == 0)
        {
            return image;
        }

        var towardsMax = -Amount / 100.0;
        return ColourBands.Map(image, colour =>
        {
            using var max = ColourBands.Max(colour);
            using var kept = colour.Linear([1 - towardsMax], [0.0]);
            using var moved = max.Linear([towardsMax], [0.0]);
            return kept + moved;
        });
    }
}
