using NetVips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.rotate(a,b)</c>: rotates clockwise by any whole angle (negative allowed, normalised modulo 360).
/// Right angles are exact; other angles grow the canvas and fill the corners with <c>b</c>.
/// </summary>
public sealed record Rotate(int Angle, Rgba Background) : ITransformation<Rotate>
{
    public static string Name => "t.rotate";

    /// <summary>Any angle but a right one resamples along slanted lines (measured at 30°).</summary>
    public double NanosecondsPerPixel(RenderContext context) => Angle % 90 == 0 ? Rendering.RenderWork.PointOperation : 30;

    public static Rotate Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Rotate(args.WholeModulo("a", 0, -36_000, 36_000, 360), args.Color("b", Rgba.Black));
    }

    /// <summary>Every rotation reads its input by columns or along slanted lines.</summary>
    public bool ReadsInputOutOfOrder => Angle != 0;

    /// <summary>A quarter turn swaps the sides; any other angle needs the rotated image's bounding box (plus a pixel).</summary>
    public ImageSize OutputSize(ImageSize input, RenderContext context)
    {
        switch (Angle)
        {
            case 0 or 180: return input;
            case 90 or 270: return new ImageSize(input.Height, input.Width);
        }

        var radians = Angle * Math.PI / 180;
        double cos = Math.Abs(Math.Cos(radians)), sin = Math.Abs(Math.Sin(radians));
        return new ImageSize(
            (long)Math.Ceiling((input.Width * cos) + (input.Height * sin)) + 1,
            (long)Math.Ceiling((input.Width * sin) + (input.Height * cos)) + 1);
    }

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
