namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.linear(a,b)</c>: <c>a·input + b</c> on every colour band (sharp <c>linear</c>); alpha is untouched and the
/// result is rounded and clipped back to 8 bits.
/// </summary>
public sealed record Linear(double Multiplier, double Offset) : ITransformation<Linear>, IStripSafe
{
    public static string Name => "t.linear";

    public static Linear Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Linear(args.Real("a", 1, -100, 100), args.Real("b", 0, -255, 255));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Multiplier == 1 && Offset == 0)
        {
            return image;
        }

        var colourBands = image.HasAlpha() ? image.Bands - 1 : image.Bands;
        var a = new double[image.Bands];
        var b = new double[image.Bands];
        Array.Fill(a, 1);
        Array.Fill(a, Multiplier, 0, colourBands);
        Array.Fill(b, Offset, 0, colourBands);
        return image.Linear(a, b, uchar: true);
    }
}
