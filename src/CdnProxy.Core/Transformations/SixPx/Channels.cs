namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.channels(r,g,b)</c>, 6px's <c>channels</c> (<c>red</c>, <c>green</c>, <c>blue</c> −100–100; CamanJS):
/// a positive value moves the channel towards 255 by that percentage, a negative one towards 0 (−100 cancels it).
/// </summary>
public sealed record Channels(int Red, int Green, int Blue) : ITransformation<Channels>, IStripSafe
{
    public static string Name => SixPxFilter.Namespace + "channels";

    public static Channels Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Channels(args.Whole("r", 0, -100, 100), args.Whole("g", 0, -100, 100), args.Whole("b", 0, -100, 100));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        if (Red == 0 && Green == 0 && Blue == 0)
        {
            return image;
        }

        var (redScale, redOffset) = Adjustment(Red);
        var (greenScale, greenOffset) = Adjustment(Green);
        var (blueScale, blueOffset) = Adjustment(Blue);
        return ColourBands.Map(image, colour => colour.Linear([redScale, greenScale, blueScale], [redOffset, greenOffset, blueOffset]));
    }

    /// <summary>v + (255 − v)·k for k &gt; 0, v − v·|k| for k &lt; 0, as a scale and an offset.</summary>
    private static (double Scale, double Offset) Adjustment(int percent)
    {
        var k = percent / 100.0;
        return k > 0 ? (1 - k, 255 * k) : (1 + k, 0);
    }
}
