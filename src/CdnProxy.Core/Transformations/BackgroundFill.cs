namespace CdnProxy.Core.Transformations;

/// <summary>Operations that paint new pixels (padding, rotated corners) with a background colour.</summary>
public static class BackgroundFill
{
    /// <summary>
    /// Runs <paramref name="paint"/> with <paramref name="background"/> as band values for the image it gets. A
    /// translucent background on an image without alpha first gets an opaque alpha channel to land in.
    /// </summary>
    public static VipsImage PaintWith(this VipsImage image, Rgba background, Func<VipsImage, double[], VipsImage> paint)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(paint);
        if (background.IsOpaque || image.HasAlpha())
        {
            return paint(image, background.ToBands(image.Bands));
        }

        using var withAlpha = image.Bandjoin(255.0);
        return paint(withAlpha, background.ToBands(withAlpha.Bands));
    }
}
