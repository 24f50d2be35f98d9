namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.exposure(a)</c>, 6px's <c>exposure</c> −100–100 (CamanJS): a tone curve, the cubic Bézier from
/// (0,0) to (255,255) with control points (0, 2.55·a) and (255 − 2.55·a, 255) for a &gt; 0, mirrored (the points'
/// coordinates swapped) for a &lt; 0: brightens or darkens the mid-tones; brightening keeps white and darkening
/// keeps black (each input value takes the curve's last sample at it, as CamanJS fills its table).
/// </summary>
public sealed record Exposure(int Amount) : ITransformation<Exposure>, IStripSafe
{
    private const int Samples = 1024;

    public static string Name => SixPxFilter.Namespace + "exposure";

    public static Exposure Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Exposure(args.Whole(SixPxFilter.Amount, 0, -100, 100));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        if (Amount == 0)
        {
            return image;
        }

        using var lut = VipsImage.NewFromArray(Curve(Amount));
        using var eightBitLut = lut.Cast(NetVips.Enums.BandFormat.Uchar);
        return ColourBands.Map(image, colour => colour.Maplut(eightBitLut));
    }

    /// <summary>The curve as a 256-entry table: sampled along t, each input value taking the last sample at or below it.</summary>
    internal static double[] Curve(int amount)
    {
        var p = Math.Abs(amount) / 100.0 * 255;
        (double X, double Y) first = (0, p), second = (255 - p, 255);
        if (amount < 0)
        {
            (first, second) = ((first.Y, first.X), (second.Y, second.X));
        }

        var table = new double[256];
        var filled = new bool[256];
        for (var i = 0; i <= Samples; i++)
        {
            var t = i / (double)Samples;
            var u = 1 - t;
            var x = (3 * u * u * t * first.X) + (3 * u * t * t * second.X) + (t * t * t * 255);
            var y = (3 * u * u * t * first.Y) + (3 * u * t * t * second.Y) + (t * t * t * 255);
            var index = (int)Math.Round(x);
            table[index] = Math.Clamp(Math.Round(y), 0, 255);
            filled[index] = true;
        }

        // Gaps (where the curve is steep in x) take the nearest filled value below.
        for (var i = 1; i < table.Length; i++)
        {
            if (!filled[i])
            {
                table[i] = table[i - 1];
            }
        }

        return table;
    }
}
