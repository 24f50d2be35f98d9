using System.Globalization;
using System.Text;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;
using NetVips;

namespace CdnProxy.Core.Tests.Transformations.Enhance;

public enum Degradation
{
    Darkened,
    LowContrast,
    ColourCast,
    SlightBlur,
}

/// <summary>
/// Builds degraded versions of the repository's permissively licensed photos (samples/, see samples/LICENSES.md)
/// and measures how close Magic brings each back to its clean original (PSNR over RGB, SSIM on luma).
/// </summary>
internal static class MagicMeasurement
{
    public const string Pattern = "enhance.magic()";

    public sealed record Photo(string Name, byte[] Clean);

    public sealed record Score(double Psnr, double Ssim);

    public sealed record Row(string Photo, string Kind, Score Before, Score After);

    /// <summary>The clean photos as 8-bit sRGB PNGs, flattened on white, the large one at 800 px wide.</summary>
    public static IReadOnlyList<Photo> Photos() =>
    [
        new("photo-3mp-flower.jpg", Clean("photo-3mp-flower.jpg", "t.resize(w:800)")),
        new("alpha-500-tulips.png", Clean("alpha-500-tulips.png", "t.flatten(b:ffffff)")),
        new("rose-lossy-alpha.webp", Clean("rose-lossy-alpha.webp", "t.flatten(b:ffffff)")),
        new("cmyk-video001.jpeg", Clean("cmyk-video001.jpeg", "t.resize(w:150)")),
    ];

    private static byte[] Clean(string sample, string pattern) =>
        RenderHarness.Render(TestImages.Read(TestImages.Sample(sample)), pattern + "~t.toFormat(f:png)").Bytes;

    /// <summary>One degradation: darkened (gamma 2.2, then ×0.8), low contrast (60 % towards grey 128), a warm cast (×1, ×0.85, ×0.65), a Gaussian blur σ 1.2.</summary>
    public static byte[] Degrade(byte[] clean, Degradation kind)
    {
        VipsTestRuntime.Ensure();
        using var image = VipsImage.NewFromBuffer(clean);
        using var degraded = kind switch
        {
            Degradation.Darkened => image.Linear([1 / 255.0], [0.0]).Pow(2.2).Linear([255 * 0.8], [0.0]),
            Degradation.LowContrast => image.Linear([0.4], [0.6 * 128]),
            Degradation.ColourCast => image.Linear([1.0, 0.85, 0.65], [0.0, 0, 0]),
            Degradation.SlightBlur => image.Gaussblur(1.2),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        using var eightBit = degraded.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        return eightBit.PngsaveBuffer();
    }

    public static byte[] Enhance(byte[] image) => RenderHarness.Render(image, Pattern + "~t.toFormat(f:png)").Bytes;

    public static Score Compare(byte[] reference, byte[] candidate)
    {
        using var x = VipsImage.NewFromBuffer(reference).Cast(Enums.BandFormat.Float);
        using var y = VipsImage.NewFromBuffer(candidate).Cast(Enums.BandFormat.Float);
        using var difference = x - y;
        var mse = (difference * difference).Avg();
        var psnr = mse == 0 ? 99 : 10 * Math.Log10(255 * 255 / mse);
        return new Score(Math.Min(99, psnr), Ssim(Luma(x), Luma(y)));
    }

    private static VipsImage Luma(VipsImage rgb) => rgb.Recomb(VipsImage.NewFromArray(new[,] { { 0.299, 0.587, 0.114 } }));

    /// <summary>Mean SSIM with a Gaussian window σ 1.5 (Wang et al. 2004), on values 0–255.</summary>
    private static double Ssim(VipsImage x, VipsImage y)
    {
        const double c1 = 6.5025, c2 = 58.5225;
        VipsImage G(VipsImage i) => i.Gaussblur(1.5, precision: Enums.Precision.Float);
        var mx = G(x);
        var my = G(y);
        var sxx = G(x * x) - (mx * mx);
        var syy = G(y * y) - (my * my);
        var sxy = G(x * y) - (mx * my);
        var numerator = ((mx * my * 2) + c1) * ((sxy * 2) + c2);
        var denominator = ((mx * mx) + (my * my) + c1) * (sxx + syy + c2);
        return (numerator / denominator).Avg();
    }

    public static IReadOnlyList<Row> Measure()
    {
        var rows = new List<Row>();
        foreach (var photo in Photos())
        {
            rows.Add(new Row(photo.Name, "clean", Compare(photo.Clean, photo.Clean), Compare(photo.Clean, Enhance(photo.Clean))));
            foreach (var kind in Enum.GetValues<Degradation>())
            {
                var degraded = Degrade(photo.Clean, kind);
                rows.Add(new Row(photo.Name, kind.ToString(), Compare(photo.Clean, degraded), Compare(photo.Clean, Enhance(degraded))));
            }
        }

        return rows;
    }

    public static string Report(IReadOnlyList<Row> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| degradation | photo | PSNR before (dB) | PSNR after (dB) | SSIM before | SSIM after |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Kind} | {row.Photo} | {row.Before.Psnr:F2} | {row.After.Psnr:F2} | {row.Before.Ssim:F4} | {row.After.Ssim:F4} |"));
        }

        text.AppendLine();
        text.AppendLine("| degradation | mean PSNR before | mean PSNR after | mean SSIM before | mean SSIM after |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var kind in rows.GroupBy(r => r.Kind))
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {kind.Key} | {kind.Average(r => r.Before.Psnr):F2} | {kind.Average(r => r.After.Psnr):F2} | {kind.Average(r => r.Before.Ssim):F4} | {kind.Average(r => r.After.Ssim):F4} |"));
        }

        return text.ToString();
    }
}
