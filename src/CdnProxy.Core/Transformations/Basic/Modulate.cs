using NetVips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.modulate(b,s,h)</c> with sharp's semantics: in LCh, multiplies lightness by <c>b</c> and chroma by <c>s</c>
/// and turns the hue by <c>h</c> degrees (normalised modulo 360; the default is 90 as in Pixelbin's SDKs and docs).
/// Alpha is kept; a greyscale image stays greyscale.
/// </summary>
public sealed record Modulate(double Brightness, double Saturation, int Hue) : ITransformation<Modulate>, IStripSafe
{
    public static string Name => "t.modulate";

    /// <summary>Every pixel through LCh and back (measured).</summary>
    public double NanosecondsPerPixel(RenderContext context) => 40;

    public static Modulate Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Modulate(
            Brightness: args.Real("b", 1, 1, 10),
            Saturation: args.Real("s", 1, 0, 10),
            Hue: args.WholeModulo("h", 90, -360, 360, 360));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        var grey = image.Interpretation == Enums.Interpretation.Bw;
        if (Brightness == 1 && (grey || (Saturation == 1 && Hue == 0)))
        {
            return image;
        }

        using var lch = image.Colourspace(Enums.Interpretation.Lch);

        // L, C and h, then any alpha band, which passes through unchanged.
        var a = new double[lch.Bands];
        var b = new double[lch.Bands];
        Array.Fill(a, 1);
        (a[0], a[1], b[2]) = (Brightness, Saturation, Hue);
        using var modulated = lch.Linear(a, b);
        var result = modulated.Colourspace(grey ? Enums.Interpretation.Bw : Enums.Interpretation.Srgb);
        if (result.Format == Enums.BandFormat.Uchar)
        {
            return result;
        }

        using (result)
        {
            return result.Cast(Enums.BandFormat.Uchar);
        }
    }
}
