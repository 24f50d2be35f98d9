using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Transformations.SixPx;

/// <summary>Synthetic inputs with known pixels, rendered through the real pipeline, for 6px filter goldens.</summary>
internal static class FilterHarness
{
    /// <summary>A lossless PNG of <paramref name="width"/>×<paramref name="height"/> filled with <paramref name="bands"/> (RGB or RGBA).</summary>
    public static byte[] Solid(double[] bands, int width = 8, int height = 8)
    {
        VipsTestRuntime.Ensure();
        using var black = VipsImage.Black(width, height, bands: bands.Length);
        using var filled = black.Linear(new double[bands.Length], bands, uchar: true);
        using var srgb = filled.Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
        return srgb.PngsaveBuffer();
    }

    /// <summary>A square grey PNG of <paramref name="background"/> with one pixel of <paramref name="dot"/> at its centre.</summary>
    public static byte[] Dot(int size, double background, double dot)
    {
        VipsTestRuntime.Ensure();
        using var black = VipsImage.Black(1, 1, bands: 3);
        using var pixel = black.Linear([0.0], [dot], uchar: true);
        using var field = pixel.Embed(size / 2, size / 2, size, size, NetVips.Enums.Extend.Background, [background, background, background]);
        using var srgb = field.Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
        return srgb.PngsaveBuffer();
    }

    /// <summary>The centre pixel of <paramref name="source"/> after <paramref name="pattern"/>, encoded as PNG.</summary>
    public static double[] Centre(byte[] source, string pattern)
    {
        using var probe = RenderHarness.RenderAndProbe(source, pattern + "~t.toFormat(f:png)");
        return probe.Pixel(probe.Width / 2, probe.Height / 2);
    }

    /// <summary>The centre pixel of a solid <paramref name="rgb"/> image after <paramref name="pattern"/>.</summary>
    public static double[] OnSolid(string pattern, params double[] rgb) => Centre(Solid(rgb), pattern);

    public static void AssertPixel(double[] expected, double[] actual, double tolerance = 1)
    {
        for (var band = 0; band < expected.Length; band++)
        {
            Assert.True(
                Math.Abs(expected[band] - actual[band]) <= tolerance,
                $"band {band}: expected {expected[band]}, got {actual[band]} (pixel {string.Join(",", actual)})");
        }
    }

    /// <summary>A bad value for <paramref name="key"/> is a 400 naming the key.</summary>
    public static void AssertRefused(string call, string key)
    {
        var e = Assert.Throws<CdnException>(() => RenderHarness.Bind(call));
        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A half-transparent pixel's alpha passes through the filter.</summary>
    public static void AssertKeepsAlpha(string pattern)
    {
        var pixel = Centre(Solid([100, 150, 200, 128]), pattern);
        Assert.Equal(4, pixel.Length);
        Assert.Equal(128, pixel[3]);
    }
}
