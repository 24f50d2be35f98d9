using System.Globalization;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.extract(t,l,h,w,bbox)</c>: crops the region at (<c>l</c>, <c>t</c>) of <c>w</c> × <c>h</c> (sharp <c>extract</c>).
/// <c>bbox</c> (<c>top_left_height_width</c>) gives the same rectangle in one value and wins over the separate keys.
/// A region not wholly inside the image is a 400, known only once the image's size is.
/// </summary>
public sealed record Extract(int Top, int Left, int Height, int Width) : ITransformation<Extract>
{
    public static string Name => "t.extract";

    public static Extract Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var top = args.Whole("t", 10, 0, 100_000);
        var left = args.Whole("l", 10, 0, 100_000);
        var height = args.Whole("h", 50, 1, 100_000);
        var width = args.Whole("w", 20, 1, 100_000);
        if (args.Bbox("bbox") is not { } box)
        {
            return new Extract(top, left, height, width);
        }

        return box.Height > 0 && box.Width > 0
            ? new Extract(box.Top, box.Left, box.Height, box.Width)
            : throw args.Invalid("bbox", box.ToString(), "a bounding box with a height and a width of at least 1");
    }

    public ImageSize OutputSize(ImageSize input, RenderContext context) => new(Width, Height);

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Left < 0 || Top < 0 || (long)Left + Width > image.Width || (long)Top + Height > image.Height)
        {
            throw CdnException.InvalidArgument(string.Create(
                CultureInfo.InvariantCulture,
                $"{Name}: the region {Width}x{Height} at left {Left}, top {Top} lies outside the image ({image.Width}x{image.Height} at this step)"));
        }

        return Left == 0 && Top == 0 && Width == image.Width && Height == image.Height
            ? image
            : image.ExtractArea(Left, Top, Width, Height);
    }
}
