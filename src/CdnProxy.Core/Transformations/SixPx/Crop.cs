using System.Globalization;
using CdnProxy.Core.Transformations.Faces;

namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.crop(x,y,w,h,pad,face)</c>, 6px's <c>crop</c>: the region <c>w</c>×<c>h</c> at (<c>x</c>, <c>y</c>), a
/// side of 0 reaching the image's edge, grown by <c>pad</c> pixels on every side and clipped to the image. A region
/// that starts outside the image is refused. With <c>face:true</c> the region is the dominant (largest) face the
/// detector finds instead, <c>pad</c> around it; with no face found the image is kept whole.
/// </summary>
public sealed record Crop(int X, int Y, int Width, int Height, int Padding, bool Face = false) : ITransformation<Crop>
{
    private const int MaxCoordinate = 100_000;

    public static string Name => SixPxFilter.Namespace + "crop";

    /// <summary>The face search reads the whole image before the crop reads its region again.</summary>
    public bool ReadsInputOutOfOrder => Face;

    public static Crop Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var crop = new Crop(
            X: args.Whole("x", 0, 0, MaxCoordinate),
            Y: args.Whole("y", 0, 0, MaxCoordinate),
            Width: args.Whole("w", 0, 0, MaxCoordinate),
            Height: args.Whole("h", 0, 0, MaxCoordinate),
            Padding: args.Whole("pad", 0, 0, MaxCoordinate),
            Face: args.Flag("face", false));
        if (crop.Face && (crop.X, crop.Y, crop.Width, crop.Height) != (0, 0, 0, 0))
        {
            throw CdnException.InvalidArgument($"{Name}: 'face' chooses the region itself: 'x', 'y', 'w' and 'h' cannot be given with it");
        }

        return crop;
    }

    public ImageSize OutputSize(ImageSize input, RenderContext context) =>
        Face ? input : new(Side(input.Width, X, Width), Side(input.Height, Y, Height));

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(context);
        var (left, top, width, height) = Face ? FaceRegion(image, context) : Region(image.Width, image.Height);
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

    /// <summary>The largest face found, padded and clipped; the whole image when there is none.</summary>
    private (int Left, int Top, int Width, int Height) FaceRegion(VipsImage image, RenderContext context)
    {
        var faces = FaceSearch.Find(image, context.Faces, context.Deadline);
        if (faces.Count == 0)
        {
            return (0, 0, image.Width, image.Height);
        }

        var face = faces.MaxBy(f => (long)f.Width * f.Height);
        var left = Math.Max(0, face.X - Padding);
        var top = Math.Max(0, face.Y - Padding);
        var right = (int)Math.Min(image.Width, (long)face.Right + Padding);
        var bottom = (int)Math.Min(image.Height, (long)face.Bottom + Padding);
        return (left, top, right - left, bottom - top);
    }

    /// <summary>A bound on one side of the result (the padding can only add what the image has).</summary>
    private long Side(long input, int start, int length) =>
        length == 0 ? Math.Max(1, input - start + Padding) : Math.Max(1, Math.Min(input, length + (2L * Padding)));
}
