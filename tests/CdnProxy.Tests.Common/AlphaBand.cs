using CdnProxy.Vips;

namespace CdnProxy.Tests.Common;

/// <summary>Reads an image's alpha band (its last band).</summary>
public static class AlphaBand
{
    /// <summary>The lowest alpha value of any pixel.</summary>
    public static double Lowest(VipsImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var alpha = image.ExtractBands(image.Bands - 1, 1);
        using var lowest = VipsCall.Create("min").Set("in", alpha).Invoke();
        return lowest.GetDouble("out");
    }
}
