using NetVips;

namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.stackBlur(a)</c>, 6px's <c>stackBlur</c> radius 0–100: Mario Klingemann's stack blur, whose weights
/// form a tent (1, 2, …, r+1, …, 2, 1) along rows and then columns; run here as that separable convolution in
/// integers, libvips' vectorised path: within one level of the exact result, and at radius 100 on a 3 MP photo
/// ~0.25 s instead of ~4.7 s in floating point (whose cost grew with the radius).
/// </summary>
public sealed record StackBlur(int Radius) : ITransformation<StackBlur>
{
    public static string Name => SixPxFilter.Namespace + "stackBlur";

    /// <summary>A separable convolution in integers: 50 ns a pixel at radius 100 (measured).</summary>
    public double NanosecondsPerPixel(RenderContext context) => 5 + (0.45 * Radius);

    public int WindowRadius(ImageSize input, RenderContext context) => Radius;

    public static StackBlur Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new StackBlur(args.Whole(SixPxFilter.Amount, 0, 0, 100));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        if (Radius == 0)
        {
            return image;
        }

        using var tent = VipsImage.NewFromArray(Tent(Radius), scale: (Radius + 1.0) * (Radius + 1.0));
        return ColourBands.Map(image, colour => colour.Convsep(tent, precision: Enums.Precision.Integer));
    }

    internal static double[] Tent(int radius)
    {
        var weights = new double[(2 * radius) + 1];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = radius + 1 - Math.Abs(i - radius);
        }

        return weights;
    }
}
