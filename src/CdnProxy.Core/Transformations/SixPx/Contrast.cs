namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.contrast(a)</c>, 6px's <c>contrast</c> −100–100 (CamanJS): values are stretched about mid-grey by
/// ((a + 100)/100)², so 100 quadruples the distance from 127.5 and −100 flattens the image to grey.
/// </summary>
public sealed record Contrast(int Amount) : ITransformation<Contrast>, IStripSafe
{
    public static string Name => SixPxFilter.Namespace + "contrast";

    public static Contrast Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Contrast(args.Whole(SixPxFilter.Amount, 0, -100, 100));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        if (Amount == 0)
        {
            return image;
        }

        var factor = Math.Pow((Amount + 100) / 100.0, 2);
        return ColourBands.Map(image, colour => colour.Linear([factor], [127.5 * (1 - factor)]));
    }
}
