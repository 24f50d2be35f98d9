using NetVips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.rotate(a,b)</c>: rotates clockwise by any whole angle (negative allowed, normalised modulo 360).
/// Right angles are exact; other angles grow the canvas and fill the corners with <c>b</c>.
/// </summary>
public sealed record Rotate(int Angle, Rgba Background) : ITransformation<Rotate>
{
    public static string Name => "t.rotate";

    public static Rotate Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Rotate(args.WholeModulo("a", 0, -36_000, 36_000, 360), args.Color("b", Rgba.Black));
    }

    /// <summary>Every rotation reads its input by columns or along slanted lines.</summary>
    public bool ReadsInputOutOfOrder => Angle != 0;

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        switch (Angle)
        {
            case 0: return image;
            case 90: return image.Rot(Enums.Angle.D90);
            case 180: return image.Rot(Enums.Angle.D180);
            case 270: return image.Rot(Enums.Angle.D270);
        }

        return image.PaintWith(Background, (target, fill) => target.Rotate(Angle, background: fill));
    }
}
