using NetVips;

namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.sharpen(a)</c>, 6px's <c>sharpen</c> 0–500 (default 100; CamanJS): the 3×3 kernel with −a/100 on the
/// four neighbours and 1 + 4·a/100 at the centre (200 doubles it). Not <c>t.sharpen</c>, sharp's unsharp mask.
/// </summary>
public sealed record SixPxSharpen(double Amount) : ITransformation<SixPxSharpen>
{
    public static string Name => SixPxFilter.Namespace + "sharpen";

    public int WindowRadius(ImageSize input, RenderContext context) => 1;

    public static SixPxSharpen Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new SixPxSharpen(args.Real(SixPxFilter.Amount, 100, 0, 500));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        if (Amount == 0)
        {
            return image;
        }

        var k = Amount / 100;
        using var kernel = VipsImage.NewFromArray(new[,]
        {
            { 0, -k, 0 },
            { -k, 1 + (4 * k), -k },
            { 0, -k, 0 },
        });
        return ColourBands.Map(image, colour => colour.Conv(kernel, precision: Enums.Precision.Float));
    }
}
