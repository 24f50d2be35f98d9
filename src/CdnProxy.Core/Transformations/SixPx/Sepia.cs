namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.sepia(a)</c>, 6px's <c>sepia</c> 0–100: the classic sepia matrix blended with the identity by
/// <c>a</c>/100 (CamanJS's coefficients, applied as one matrix rather than its in-place red-first order).
/// </summary>
public sealed record Sepia(double Amount) : ITransformation<Sepia>, IStripSafe
{
    public static string Name => SixPxFilter.Namespace + "sepia";

    public static Sepia Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Sepia(args.Real(SixPxFilter.Amount, 100, 0, 100));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        if (Amount == 0)
        {
            return image;
        }

        var a = Amount / 100;
        using var matrix = VipsImage.NewFromArray(new[,]
        {
            { 1 - (0.607 * a), 0.769 * a, 0.189 * a },
            { 0.349 * a, 1 - (0.314 * a), 0.168 * a },
            { 0.272 * a, 0.534 * a, 1 - (0.869 * a) },
        });
        return ColourBands.Map(image, colour => colour.Recomb(matrix));
    }
}
