using CdnProxy.Core.Rendering;
using CdnProxy.Vips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.tint(c)</c> with sharp's semantics: in CIELAB, keeps every pixel's lightness L and replaces its a/b
/// (chroma) with those of the colour <c>c</c>. The colour's own alpha is ignored; the image's alpha is kept.
/// The output is sRGB, also for a greyscale original.
/// </summary>
public sealed record Tint(Rgba Color) : ITransformation<Tint>, IStripSafe
{
    public static string Name => "t.tint";

    public static Tint Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Tint(args.Color("c", Rgba.Black));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (tintA, tintB) = ChromaOf(Color);
        using var lab = image.Colourspace("lab");

        // L passes through, a and b become the tint's, any alpha band passes through.
        var a = new double[lab.Bands];
        var b = new double[lab.Bands];
        Array.Fill(a, 1);
        (a[1], a[2], b[1], b[2]) = (0, 0, tintA, tintB);
        using var tinted = lab.Linear(a, b);
        var result = tinted.Colourspace("srgb", "lab");
        if (result.Format == VipsBandFormat.Unsigned8)
        {
            return result;
        }

        using (result)
        {
            return result.Cast("uchar");
        }
    }

    /// <summary>The CIELAB a and b of an sRGB colour, converted by libvips through a 1×1 image.</summary>
    private static (double A, double B) ChromaOf(Rgba color)
    {
        using var black = VipsImageExtensions.Black(1, 1, 3);
        using var rgb = black.Linear([0, 0, 0], [color.R, color.G, color.B], uchar: true);
        using var lab = rgb.Colourspace("lab", "srgb");
        var point = lab.GetPoint(0, 0);
        return (point[1], point[2]);
    }
}
