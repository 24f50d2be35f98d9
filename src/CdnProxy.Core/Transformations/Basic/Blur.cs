using NetVips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.blur(s,dpr)</c>: sharp's gaussian blur with sigma <c>s</c>, scaled by <c>dpr</c> and the request's dpr
/// like <see cref="Resize"/> scales its sizes. With alpha the colours are blurred premultiplied, as sharp does.
/// </summary>
public sealed record Blur(double Sigma, double Dpr) : ITransformation<Blur>
{
    public static string Name => "t.blur";

    /// <summary>libvips' vectorised separable convolution: its mask, and its cost, grow with sigma (80 ns a pixel at 100).</summary>
    public double NanosecondsPerPixel(RenderContext context) => 5 + (0.75 * EffectiveSigma(context));

    /// <summary>libvips' gaussian mask ends where it falls under 0.2 of its peak: 1.8 sigma either side.</summary>
    public int WindowRadius(ImageSize input, RenderContext context) => (int)Math.Ceiling(1.8 * EffectiveSigma(context));

    public static Blur Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Blur(args.Real("s", 0.3, 0.3, 100), args.Real("dpr", 1, 0.1, 5));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(context);
        var sigma = EffectiveSigma(context);
        if (!image.HasAlpha())
        {
            return image.Gaussblur(sigma);
        }

        using var premultiplied = image.Premultiply();
        using var blurred = premultiplied.Gaussblur(sigma);
        using var unpremultiplied = blurred.Unpremultiply();
        return unpremultiplied.Cast(Enums.BandFormat.Uchar);
    }

    /// <summary>Sigma scaled by the step's and the request's dpr, as <see cref="Resize"/> scales its sizes.</summary>
    private double EffectiveSigma(RenderContext context) => Sigma * Dpr * context.Dpr;
}
