using CdnProxy.Tests.Common;
using NetVips;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>Images made for upload tests: noise does not compress, so their size is what the tests need.</summary>
internal static class GeneratedImages
{
    /// <summary>An uncompressed 8-bit RGB TIFF of <paramref name="width"/> × <paramref name="height"/> noise (about 3 × w × h bytes).</summary>
    public static byte[] NoiseTiff(int width, int height)
    {
        VipsTestRuntime.Ensure();
        using var noise = Image.Gaussnoise(width, height, mean: 128, sigma: 60);
        using var bands = noise.Bandjoin(noise, noise);
        using var bytes = bands.Cast(Enums.BandFormat.Uchar);
        return bytes.TiffsaveBuffer(compression: Enums.ForeignTiffCompression.None);
    }

    /// <summary>A small PNG (<paramref name="width"/> × <paramref name="height"/>, a flat colour).</summary>
    public static byte[] Png(int width, int height, int red = 200)
    {
        VipsTestRuntime.Ensure();
        using var black = Image.Black(width, height, bands: 3);
        using var coloured = black + new double[] { red, 50, 80 };
        using var bytes = coloured.Cast(Enums.BandFormat.Uchar);
        return bytes.PngsaveBuffer();
    }
}
