namespace CdnProxy.Server.Tests.Golden;

/// <summary>Peak signal-to-noise ratio between two decoded 8-bit images of the same size, computed by libvips.</summary>
public static class Psnr
{
    /// <summary>
    /// PSNR in dB over every band (infinity when identical). A greyscale side is widened to sRGB first, so a
    /// one-band grey output compares with sharp's three equal bands. With alpha both sides are premultiplied, so
    /// colours hidden under fully transparent pixels do not count.
    /// </summary>
    public static double Between(VipsImage expected, VipsImage actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        using var left = Comparable(expected, actual.HasAlpha());
        using var right = Comparable(actual, expected.HasAlpha());
        using var difference = left.Subtract(right);
        using var squared = difference.Multiply(difference);
        var mse = squared.Avg();
        return mse <= 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    private static VipsImage Comparable(VipsImage image, bool otherHasAlpha)
    {
        var current = image.Bands < 3 ? image.Colourspace(NetVips.Enums.Interpretation.Srgb) : image.Copy();
        if (!current.HasAlpha() && otherHasAlpha)
        {
            using var opaque = current;
            current = opaque.Bandjoin(255.0);
        }

        if (current.HasAlpha())
        {
            using var straight = current;
            current = straight.Premultiply();
        }

        return current;
    }
}
