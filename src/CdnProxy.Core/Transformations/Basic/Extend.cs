using NetVips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.extend(t,l,b,r,bc,bt,dpr)</c>: pads the edges (sharp <c>extend</c>). <c>bt</c> uses OpenCV border names:
/// <c>constant</c> fills with <c>bc</c>, <c>replicate</c> copies the edge pixels, <c>reflect</c> mirrors, <c>wrap</c>
/// repeats the image. The pad sizes are multiplied by <c>dpr</c> and by the request's device pixel ratio.
/// </summary>
public sealed record Extend(int Top, int Left, int Bottom, int Right, Rgba Background, ExtendBorder Border, double Dpr)
    : ITransformation<Extend>
{
    private static readonly EnumArgument<ExtendBorder> Borders = new(
        ("constant", ExtendBorder.Constant), ("replicate", ExtendBorder.Replicate),
        ("reflect", ExtendBorder.Reflect), ("wrap", ExtendBorder.Wrap));

    public static string Name => "t.extend";

    public static Extend Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Extend(
            Top: args.Whole("t", 10, 0, 500),
            Left: args.Whole("l", 10, 0, 500),
            Bottom: args.Whole("b", 10, 0, 500),
            Right: args.Whole("r", 10, 0, 500),
            Background: args.Color("bc", Rgba.Black),
            Border: args.Choice("bt", ExtendBorder.Constant, Borders),
            Dpr: args.Real("dpr", 1, 0.1, 5));
    }

    /// <summary>Copied, mirrored and repeated borders read the input's edges again, out of order.</summary>
    public bool ReadsInputOutOfOrder => Border != ExtendBorder.Constant;

    public ImageSize OutputSize(ImageSize input, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var dpr = Dpr * context.Dpr;
        return new ImageSize(input.Width + Pixels(Left, dpr) + Pixels(Right, dpr), input.Height + Pixels(Top, dpr) + Pixels(Bottom, dpr));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(context);
        var dpr = Dpr * context.Dpr;
        int top = Pixels(Top, dpr), left = Pixels(Left, dpr), bottom = Pixels(Bottom, dpr), right = Pixels(Right, dpr);
        if (top == 0 && left == 0 && bottom == 0 && right == 0)
        {
            return image;
        }

        var width = image.Width + left + right;
        var height = image.Height + top + bottom;
        if (Border != ExtendBorder.Constant)
        {
            return image.Embed(left, top, width, height, Border switch
            {
                ExtendBorder.Replicate => Enums.Extend.Copy,
                ExtendBorder.Reflect => Enums.Extend.Mirror,
                _ => Enums.Extend.Repeat,
            });
        }

        return image.PaintWith(Background, (target, fill) => target.Embed(left, top, width, height, Enums.Extend.Background, fill));
    }

    private static int Pixels(int size, double dpr) => (int)Math.Round(size * dpr, MidpointRounding.AwayFromZero);
}
