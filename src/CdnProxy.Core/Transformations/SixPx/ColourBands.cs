using NetVips;

namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// The frame 6px's filters share (they come from CamanJS, which works on 8-bit RGBA): the image as 8-bit sRGB, the
/// filter run on its three colour bands with values 0–255, the result rounded and clamped to 8 bits, alpha untouched.
/// </summary>
internal static class ColourBands
{
    public static VipsImage Map(VipsImage image, Func<VipsImage, VipsImage> filter)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(filter);
        using var srgb = image.Colourspace(Enums.Interpretation.Srgb);
        using var eightBit = srgb.Format == Enums.BandFormat.Uchar ? srgb.Copy() : srgb.Cast(Enums.BandFormat.Uchar);
        using var colour = eightBit.ExtractBand(0, n: 3);
        using var filtered = filter(colour);
        using var rounded = filtered.Format == Enums.BandFormat.Uchar ? filtered.Copy() : ToEightBit(filtered);
        if (eightBit.Bands < 4)
        {
            return rounded.Copy(interpretation: Enums.Interpretation.Srgb);
        }

        using var alpha = eightBit.ExtractBand(3);
        using var joined = rounded.Bandjoin(alpha);
        return joined.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>Rounds to the nearest integer before the cast (a cast alone truncates), clamping to 0–255.</summary>
    private static VipsImage ToEightBit(VipsImage image)
    {
        using var rounded = image.Round(Enums.OperationRound.Rint);
        return rounded.Cast(Enums.BandFormat.Uchar);
    }

    /// <summary>The largest of the three colour bands, one band.</summary>
    public static VipsImage Max(VipsImage colour)
    {
        ArgumentNullException.ThrowIfNull(colour);
        using var red = colour.ExtractBand(0);
        using var green = colour.ExtractBand(1);
        using var blue = colour.ExtractBand(2);
        return red.Bandrank([green, blue], index: 2);
    }

    /// <summary>Every colour band moved towards <paramref name="target"/> by the per-pixel fraction <paramref name="amount"/>: v + (target − v)·amount.</summary>
    public static VipsImage TowardsPerPixel(VipsImage colour, VipsImage target, VipsImage amount)
    {
        ArgumentNullException.ThrowIfNull(colour);
        using var distance = target - colour;
        using var step = distance * amount;
        return colour + step;
    }
}
