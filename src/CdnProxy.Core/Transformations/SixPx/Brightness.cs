namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.brightness(a)</c>, 6px's <c>brightness</c> −100–100 (CamanJS): adds ⌊2.55·a⌋ to every colour value,
/// so 100 washes the image white and −100 blackens it.
/// </summary>
public sealed record Brightness(int Amount) : ITransformation<Brightness>, IStripSafe
{
    public static string Name => SixPxFilter.Namespace + "brightness";

    public static Brightness Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Brightness(args.Whole(SixPxFilter.Amount, 0, -100, 100));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        if (Amount == 0)
        {
            return image;
        }

        var offset = Math.Floor(255 * (Amount / 100.0));
        return ColourBands.Map(image, colour => colour.Linear([1.0], [offset]));
    }
}
