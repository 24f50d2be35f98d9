namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.noise(a)</c>, 6px's <c>noise</c> 0–100: adds the same random amount to the three colour values of a
/// pixel (grain without colour), as CamanJS does, with the spread of its uniform ±2.55·a. The noise is Gaussian
/// with a fixed seed, so one URL always gives the same bytes (a CDN's renditions must be repeatable).
/// </summary>
public sealed record Noise(double Amount) : ITransformation<Noise>, IStripSafe
{
    private const int Seed = 6;

    public static string Name => SixPxFilter.Namespace + "noise";

    /// <summary>A random value for every pixel (measured).</summary>
    public double NanosecondsPerPixel(RenderContext context) => 60;

    public static Noise Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Noise(args.Real(SixPxFilter.Amount, 0, 0, 100));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Amount == 0)
        {
            return image;
        }

        // A uniform spread of ±m has the standard deviation m/√3.
        var sigma = Amount * 2.55 / Math.Sqrt(3);
        return ColourBands.Map(image, colour =>
        {
            using var grain = VipsImage.Gaussnoise(colour.Width, colour.Height, sigma: sigma, mean: 0, seed: Seed);
            return colour + grain;
        });
    }
}
