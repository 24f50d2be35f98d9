using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.Basic;

/// <summary>Sampled statistics of a probed image, for filters whose exact output is not worth pinning.</summary>
internal static class PixelStatistics
{
    /// <summary>
    /// The mean absolute difference between horizontally adjacent pixels (colour bands only), sampled on a grid:
    /// sharpening raises it, blurring lowers it.
    /// </summary>
    public static double LocalContrast(ImageProbe probe, int grid = 40)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var colourBands = probe.HasAlpha ? probe.Bands - 1 : probe.Bands;
        double total = 0;
        var count = 0;
        foreach (var (x, y) in Grid(probe.Width - 1, probe.Height, grid))
        {
            var left = probe.Pixel(x, y);
            var right = probe.Pixel(x + 1, y);
            for (var band = 0; band < colourBands; band++)
            {
                total += Math.Abs(left[band] - right[band]);
                count++;
            }
        }

        return total / count;
    }

    /// <summary>The smallest and largest value of <paramref name="band"/> over a sampled grid.</summary>
    public static (double Min, double Max) Range(ImageProbe probe, int band = 0, int grid = 40)
    {
        ArgumentNullException.ThrowIfNull(probe);
        double min = double.MaxValue, max = double.MinValue;
        foreach (var (x, y) in Grid(probe.Width, probe.Height, grid))
        {
            var value = probe.Pixel(x, y)[band];
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        return (min, max);
    }

    /// <summary>The smallest value of <paramref name="band"/> over a sampled grid.</summary>
    public static double Min(ImageProbe probe, int band, int grid = 40) => Range(probe, band, grid).Min;

    private static IEnumerable<(int X, int Y)> Grid(int width, int height, int grid)
    {
        for (var gy = 0; gy < grid; gy++)
        {
            for (var gx = 0; gx < grid; gx++)
            {
                yield return ((int)((gx + 0.5) * width / grid), (int)((gy + 0.5) * height / grid));
            }
        }
    }
}
