using System.Globalization;

namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.crop(x,y,w,h,pad)</c>, 6px's <c>crop</c>: the region <c>w</c>×<c>h</c> at (<c>x</c>, <c>y</c>), a side
/// of 0 reaching the image's edge, grown by <c>pad</c> pixels on every side and clipped to the image. A region that
/// starts outside the image is refused. 6px's <c>face</c> mode (crop to the dominant face, <c>pad</c> around it) is
/// the face detector's to add: it chooses the region in <see cref="Region"/> instead of the given rectangle.
/// </summary>
public sealed record Crop(int X, int Y, int Width, int Height, int Padding) : ITransformation<Crop>
{
    private const int MaxCoordinate = 100_000;

    public static string Name => SixPxFilter.Namespace + "crop";

    public static Crop Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Crop(
            X: args.Whole("x", 0, 0, MaxCoordinate),
            Y: args.Whole("y", 0, 0, MaxCoordinate),
            Width: args.Whole("w", 0, 0, MaxCoordinate),
            Height: args.Whole("h", 0, 0, MaxCoordinate),
            Padding: args.Whole("pad", 0, 0, MaxCoordinate));
    }

    public ImageSize OutputSize(ImageSize input, RenderContext context) =>
        new(Side(input.Width, X, Width), Side(input.Height, Y, Height));

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (left, top, width, height) = Region(image.Width, image.Height);
        return left == 0 && top == 0 && width == image.Width && height == image.Height
            ? image
            : image.ExtractArea(left, top, width, height);
    }

    /// <summary>The rectangle to keep in an image of this size: the given one, padded and clipped.</summary>
    internal (int Left, int Top, int Width, int Height) Region(int imageWidth, int imageHeight)
    {
        if (X >= imageWidth || Y >= imageHeight)
        {
            throw CdnException.InvalidArgument(string.Create(
                CultureInfo.InvariantCulture,
                $"{Name}: the region at x {X}, y {Y} starts outside the image ({imageWidth}x{imageHeight} at this step)"));
        }

        var left = Math.Max(0, X - Padding);
        var top = Math.Max(0, Y - Padding);
        var right = Width == 0 ? imageWidth : (int)Math.Min(imageWidth, (long)X + Width + Padding);
        var bottom = Height == 0 ? imageHeight : (int)Math.Min(imageHeight, (long)Y + Height + Padding);
        return (left, top, right - left, bottom - top);
    }

    /// <summary>A bound on one side of the result (the padding can only add what the image has).</summary>
    private long Side(long input, int start, int length) =>
        length == 0 ? Math.Max(1, input - start + Padding) : Math.Max(1, Math.Min(input, length + (2L * Padding)));
}
