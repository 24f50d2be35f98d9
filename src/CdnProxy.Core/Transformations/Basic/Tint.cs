using NetVips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.tint(c)</c> with sharp's semantics: in CIELAB, keeps every pixel's lightness L and replaces its a/b
/// (chroma) with those of the colour <c>c</c>, weighted by lightness (full in the mid-tones, none at black/white). The colour's own alpha is ignored; the image's alpha is kept.
/// The output is sRGB, also for a greyscale original.
/// </summary>
public sealed record Tint(Rgba Color) : ITransformation<Tint>, IStripSafe
{
    public static string Name => "t.tint";

    /// <summary>Every pixel through LAB and back (measured).</summary>
    public double NanosecondsPerPixel(RenderContext context) => 35;

    public static Tint Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Tint(args.Color("c", Rgba.Black));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (tintA, tintB) = ChromaOf(Color);
        using var lab = image.Colourspace(Enums.Interpretation.Lab);

        // As sharp: the tint's chroma is weighted by 4·l·(1 − l) with l = L/100, full in the mid-tones and fading
        // to nothing at black and white, so shadows and highlights stay neutral.
        using var lightness = lab.ExtractBand(0);
        using var darkness = lightness.Linear([-1], [100]);
        using var weight = lightness.Multiply(darkness);
        var chromaScale = new double[lab.Bands];
        (chromaScale[1], chromaScale[2]) = (tintA * 0.0004, tintB * 0.0004);
        using var chroma = weight.Linear(chromaScale, new double[lab.Bands]);

        // L (and any alpha band) pass through; a and b come from the weighted tint.
        var keep = new double[lab.Bands];
        Array.Fill(keep, 1);
        (keep[1], keep[2]) = (0, 0);
        using var kept = lab.Linear(keep, new double[lab.Bands]);
        using var tinted = kept.Add(chroma);
        var result = tinted.Colourspace(Enums.Interpretation.Srgb, Enums.Interpretation.Lab);
        if (result.Format == Enums.BandFormat.Uchar)
        {
            return result;
        }

        using (result)
        {
            return result.Cast(Enums.BandFormat.Uchar);
        }
    }

    /// <summary>The CIELAB a and b of an sRGB colour, converted by libvips through a 1×1 image.</summary>
    private static (double A, double B) ChromaOf(Rgba color)
    {
        using var black = VipsImage.Black(1, 1, bands: 3);
        using var rgb = black.Linear([0, 0, 0], [color.R, color.G, color.B], uchar: true);
        using var lab = rgb.Colourspace(Enums.Interpretation.Lab, Enums.Interpretation.Srgb);
        var point = lab.Getpoint(0, 0);
        return (point[1], point[2]);
    }
}
