using CdnProxy.Core.Transformations.SixPx;
using NetVips;

namespace CdnProxy.Core.Transformations.Enhance;

/// <summary>
/// <c>enhance.magic(ci,ai,cc)</c>, Pixble's Magic: <c>cc</c> (color_correction 0/1) stretches each colour channel
/// between its 0.5th and 99.5th percentiles (white balance and contrast at once); <c>ai</c> (adv_illumin 0–5, 0 =
/// no change) lifts or lowers the mid-tones with a gamma chosen from the mean lightness and, on flat images,
/// equalises lightness locally (CLAHE, libvips <c>hist_local</c>); <c>ci</c> (clarify_image 0/1) sharpens by how
/// soft the image measures. Every correction is sized from the image's statistics, so a good photo is left nearly
/// as it is (docs/enhance.md has the measurements).
/// </summary>
public sealed record Magic(bool Clarify, double Illumination, bool CorrectColour) : ITransformation<Magic>
{
    /// <summary>Lightness (0–1) Magic's gamma aims a dark or bright image at.</summary>
    private const double TargetMean = 0.45;

    /// <summary>A default <c>ai</c> applies the statistics' gamma in full; other values scale its exponent.</summary>
    private const double DefaultIllumination = 1.3;

    public static string Name => "enhance.magic";

    /// <summary>Statistics, a local equalisation and a sharpen in floating point: the dearest step (measured).</summary>
    public double NanosecondsPerPixel(RenderContext context) => 290;

    public bool ReadsInputOutOfOrder => true;

    /// <summary>The local equalisation's window (an eighth of the shorter side) or the clarity blur's mask, when used.</summary>
    public int WindowRadius(ImageSize input, RenderContext context) =>
        Illumination > 0 ? EqualisationWindow(input.Width, input.Height) / 2 : Clarify ? 2 : 0;

    private const int MinimumEqualisationWindow = 8;

    /// <summary>The side of the local equalisation's window: an eighth of the shorter side, 8 px at least.</summary>
    private static int EqualisationWindow(long width, long height) => (int)Math.Max(MinimumEqualisationWindow, Math.Min(width, height) / 8);

    /// <summary>The standard deviation of the values; 0 for a single pixel (libvips' deviate has no answer for one value).</summary>
    private static double Spread(VipsImage image) => (long)image.Width * image.Height * image.Bands < 2 ? 0 : image.Deviate();

    public static Magic Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Magic(
            Clarify: args.Whole("ci", 1, 0, 1) == 1,
            Illumination: args.Real("ai", DefaultIllumination, 0, 5),
            CorrectColour: args.Whole("cc", 1, 0, 1) == 1);
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        return !Clarify && Illumination == 0 && !CorrectColour ? image : ColourBands.Map(image, colour => Enhance(colour, context));
    }

    private VipsImage Enhance(VipsImage colour, RenderContext context)
    {
        using var memory = RenderDeadline.InMemory(colour, context.Deadline);
        using var stretched = CorrectColour ? Stretch(memory) : memory.Cast(Enums.BandFormat.Float);
        using var lit = Illumination > 0 ? Illuminate(stretched) : stretched.Copy();
        return Clarify ? Sharpen(lit) : lit.Copy();
    }

    /// <summary>The span of levels (0.5th to 99.5th percentile over the channels) a flat photo is stretched to.</summary>
    private const double TargetRange = 210;

    /// <summary>A photo whose levels span less than this is flat (low contrast); most good photos span more.</summary>
    private const double FlatRange = 200;

    /// <summary>A channel whose 99.5th percentile is below this share of the brightest channel's has a cast.</summary>
    private const double CastRatio = 0.8;

    /// <summary>
    /// White balance, then contrast: a channel clearly dimmer than the brightest (a cast) is scaled up to it, and a
    /// flat photo's levels are stretched to a healthy photo's. A photo with neither defect is left alone.
    /// </summary>
    private static VipsImage Stretch(VipsImage colour)
    {
        var lows = new double[3];
        var highs = new double[3];
        for (var band = 0; band < 3; band++)
        {
            using var channel = colour.ExtractBand(band);
            lows[band] = channel.Percent(0.5);
            highs[band] = channel.Percent(99.5);
        }

        var brightest = highs.Max();
        var scales = new double[3];
        for (var band = 0; band < 3; band++)
        {
            scales[band] = highs[band] >= 16 && highs[band] < CastRatio * brightest ? Math.Min(4, brightest / highs[band]) : 1;
        }

        // After white balance the levels run from the lowest low to the brightest high.
        var low = Enumerable.Range(0, 3).Min(band => lows[band] * scales[band]);
        var range = brightest - low;
        // A flat photo is stretched about its middle to the span of a modest healthy photo (not to 0–255: photos
        // whose own range is narrow would be pushed past their original).
        var gain = range is >= 16 and < FlatRange ? Math.Min(4, TargetRange / range) : 1;
        var middle = (brightest + low) / 2;
        var offset = Math.Clamp(middle, TargetRange / 2, 255 - (TargetRange / 2)) - (middle * gain);
        if (gain == 1)
        {
            offset = 0;
        }

        return colour.Linear([scales[0] * gain, scales[1] * gain, scales[2] * gain], [offset, offset, offset]);
    }

    private VipsImage Illuminate(VipsImage colour)
    {
        using var clamped = Clamp(colour);
        var mean = clamped.Avg() / 255;
        var gamma = 1.0;
        if (mean is > 0.01 and < 0.25 or > 0.8 and < 0.99)
        {
            gamma = Math.Pow(Math.Log(TargetMean) / Math.Log(mean), Illumination / DefaultIllumination);
            gamma = Math.Clamp(1 / gamma, 0.25, 4);
        }

        using var unit = clamped.Linear([1 / 255.0], [0.0]);
        using var curved = unit.Pow(1 / gamma);
        using var scaled = curved.Linear([255.0], [0.0]);
        return Equalise(scaled);
    }

    /// <summary>CLAHE on L, blended in by how flat the lightness is and by <c>ai</c>: a photo with healthy contrast keeps its own.</summary>
    private VipsImage Equalise(VipsImage colour)
    {
        using var clamped = Clamp(colour);
        using var eightBitColour = clamped.Cast(Enums.BandFormat.Uchar);
        using var srgb = eightBitColour.Copy(interpretation: Enums.Interpretation.Srgb);
        using var lab = srgb.Colourspace(Enums.Interpretation.Lab);
        using var lightness = lab.ExtractBand(0);
        var spread = Spread(lightness);
        var weight = Math.Clamp((18 - spread) / 12, 0, 1) * Math.Min(1, Illumination / 5);
        // libvips refuses a window larger than the image: an image smaller than the least window is not equalised.
        if (weight <= 0 || Math.Min(colour.Width, colour.Height) < MinimumEqualisationWindow)
        {
            return colour.Copy();
        }

        using var percent = lightness.Linear([2.55], [0.0]);
        using var eightBit = percent.Cast(Enums.BandFormat.Uchar);
        var window = EqualisationWindow(colour.Width, colour.Height);
        using var equalised = eightBit.HistLocal(window, window, maxSlope: 3);
        using var equalisedL = equalised.Linear([1 / 2.55], [0.0]);
        using var ownPart = lightness.Linear([1 - weight], [0.0]);
        using var equalisedPart = equalisedL.Linear([weight], [0.0]);
        using var blended = ownPart + equalisedPart;
        using var ab = lab.ExtractBand(1, n: 2);
        using var bands = blended.Bandjoin(ab);
        using var joined = bands.Copy(interpretation: Enums.Interpretation.Lab);
        return joined.Colourspace(Enums.Interpretation.Srgb);
    }

    /// <summary>Unsharp masking sized by softness: detail (mean |v − blur(v)|) small for the image's contrast means blurred.</summary>
    private static VipsImage Sharpen(VipsImage colour)
    {
        using var clamped = Clamp(colour);
        using var soft = clamped.Gaussblur(1.0);
        using var detail = clamped - soft;
        using var magnitude = detail.Abs();
        var softness = magnitude.Avg() / Math.Max(1, Spread(clamped));
        var amount = Math.Clamp((0.06 - softness) / 0.03, 0, 1) * 1.2;
        if (amount <= 0)
        {
            return colour.Copy();
        }

        using var boost = detail.Linear([amount], [0.0]);
        return clamped + boost;
    }

    /// <summary>Rounded and clamped to 0–255 (a cast clips), so statistics see the values that would be encoded.</summary>
    private static VipsImage Clamp(VipsImage image)
    {
        using var rounded = image.Round(Enums.OperationRound.Rint);
        return rounded.Cast(Enums.BandFormat.Uchar);
    }
}
