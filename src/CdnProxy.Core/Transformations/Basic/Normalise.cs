using NetVips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.normalise()</c>: sharp's <c>normalise()</c>. In LAB, L is stretched linearly so that its 1st percentile
/// becomes 0 and its 99th becomes 100; a and b (and any alpha) are kept.
/// </summary>
/// <remarks>
/// The end points come from libvips' <c>percent</c> on the float L band itself, as sharp does: libvips casts it
/// to 16 bits and sizes the histogram to its largest value plus one, then takes the first bin whose normalised
/// cumulative count exceeds percent × bins / 100. An 8-bit cast of L (256 bins) picks lower end points.
/// </remarks>
public sealed record Normalise : ITransformation<Normalise>, IStripSafe
{
    private const double Lower = 1;
    private const double Upper = 99;

    public static string Name => "t.normalise";

    /// <summary>A histogram of lightness, then every pixel through LAB and back (measured).</summary>
    public double NanosecondsPerPixel(RenderContext context) => 55;

    public static Normalise Bind(ArgumentReader args) => new();

    /// <summary>The percentiles read the whole image before the stretch reads it again.</summary>
    public bool ReadsInputOutOfOrder => true;

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var lab = image.Colourspace(Enums.Interpretation.Lab);
        using var luminance = lab.ExtractBand(0);
        var (min, max) = StretchRange(luminance);
        if (Math.Abs(max - min) <= 1)
        {
            return image;
        }

        // Only L changes; a, b and any alpha pass through the linear step unchanged.
        var scale = new double[lab.Bands];
        var offset = new double[lab.Bands];
        Array.Fill(scale, 1.0);
        scale[0] = 100.0 / (max - min);
        offset[0] = -min * scale[0];
        using var stretched = lab.Linear(scale, offset);
        using var back = stretched.Colourspace(image.Interpretation == Enums.Interpretation.Bw ? Enums.Interpretation.Bw : Enums.Interpretation.Srgb);
        return back.Cast(Enums.BandFormat.Uchar);
    }

    /// <summary>The L values that become 0 and 100: libvips' 1st and 99th <c>percent</c> of the float L band.</summary>
    internal static (int Min, int Max) StretchRange(VipsImage luminance)
    {
        ArgumentNullException.ThrowIfNull(luminance);
        return (luminance.Percent(Lower), luminance.Percent(Upper));
    }
}
