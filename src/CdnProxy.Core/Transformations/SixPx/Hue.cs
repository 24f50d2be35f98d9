using NetVips;

namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.hue(a)</c>, 6px's <c>hue</c> 0–100 (CamanJS): turns every pixel's HSV hue by a/100 of the colour
/// wheel (0 and 100 change nothing, 50 turns red into cyan).
/// </summary>
public sealed record Hue(double Amount) : ITransformation<Hue>, IStripSafe
{
    /// <summary>libvips stores the HSV hue as 0–255 for the whole turn.</summary>
    private const double FullTurn = 256;

    public static string Name => SixPxFilter.Namespace + "hue";

    public double NanosecondsPerPixel(RenderContext context) => 20;

    public static Hue Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Hue(args.Real(SixPxFilter.Amount, 0, 0, 100));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        if (Amount is 0 or 100)
        {
            return image;
        }

        return ColourBands.Map(image, colour =>
        {
            using var hsv = colour.Colourspace(Enums.Interpretation.Hsv);
            using var turned = hsv.Linear([1.0, 1, 1], [Amount / 100 * FullTurn, 0, 0]);
            using var wrapped = turned.RemainderConst([FullTurn, 256, 256]);
            using var rounded = wrapped.Round(Enums.OperationRound.Rint);
            using var eightBit = rounded.Cast(Enums.BandFormat.Uchar);
            using var back = eightBit.Copy(interpretation: Enums.Interpretation.Hsv);
            return back.Colourspace(Enums.Interpretation.Srgb);
        });
    }
}
