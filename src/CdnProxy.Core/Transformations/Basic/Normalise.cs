using CdnProxy.Core.Rendering;
using CdnProxy.Vips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.normalise()</c>: sharp's <c>normalise()</c>. In LAB, L is stretched linearly so that its 1st percentile
/// becomes 0 and its 99th becomes 100; a and b (and any alpha) are kept.
/// </summary>
public sealed record Normalise : ITransformation<Normalise>, IStripSafe
{
    private const double Lower = 1;
    private const double Upper = 99;

    public static string Name => "t.normalise";

    public static Normalise Bind(ArgumentReader args) => new();

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var lab = image.Colourspace("lab");
        using var luminance = lab.ExtractBand(0);
        using var wholeLuminance = luminance.Cast("uchar");
        int min = wholeLuminance.Percent(Lower), max = wholeLuminance.Percent(Upper);
        if (max - min <= 1)
        {
            return image;
        }

        var scale = new double[lab.Bands];
        var offset = new double[lab.Bands];
        Array.Fill(scale, 1.0);
        scale[0] = 100.0 / (max - min);
        offset[0] = -min * scale[0];
        using var stretched = lab.Linear(scale, offset);
        using var back = stretched.Colourspace(image.Interpretation == VipsInterpretation.BW ? "b-w" : "srgb");
        return back.Cast("uchar");
    }
}
