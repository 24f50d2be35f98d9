using CdnProxy.Core.Rendering;
using CdnProxy.Vips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.trim(t)</c>: removes border pixels that differ from the top-left pixel's colour by less than the threshold
/// <c>t</c> (sharp <c>trim</c>). If trimming would leave nothing, the image is unchanged.
/// </summary>
public sealed record Trim(int Threshold) : ITransformation<Trim>
{
    public static string Name => "t.trim";

    public static Trim Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Trim(args.Whole("t", 10, 1, 500));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);

        // find_trim flattens an alpha channel onto the background first, so the background has no alpha value.
        var corner = image.GetPoint(0, 0);
        var colourBands = image.HasAlpha ? corner.Length - 1 : corner.Length;
        var (left, top, width, height) = image.FindTrim(Threshold, corner.AsSpan(0, colourBands));
        if (width <= 0 || height <= 0 || (width == image.Width && height == image.Height))
        {
            return image;
        }

        return image.ExtractArea(left, top, width, height);
    }
}
