namespace CdnProxy.Tests.Common;

/// <summary>Reads an image's alpha band (its last band).</summary>
public static class AlphaBand
{
    /// <summary>The lowest alpha value of any pixel.</summary>
    public static double Lowest(VipsImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var alpha = image.ExtractBand(image.Bands - 1);
        return alpha.Min();
    }
}
