using System.Globalization;
using CdnProxy.Core.Rendering;

namespace CdnProxy.Server.Hosting;

/// <summary>
/// Start-up checks of <c>CdnProxy:Encoding</c> (part of <see cref="CdnProxyOptionsValidator"/>): libvips rejects a
/// value outside its range on every save, so one bad setting would make every render of that format fail.
/// </summary>
/// <remarks>Ranges are libvips 8.18's (jpegsave/heifsave Q, webpsave effort, heifsave effort, gifsave effort and dither, pngsave compression).</remarks>
internal static class EncoderOptionsValidation
{
    private const string Section = "CdnProxy:Encoding:";

    public static void Validate(List<string> failures, EncoderOptions encoding)
    {
        InRange(failures, nameof(encoding.JpegQuality), encoding.JpegQuality, 1, 100);
        InRange(failures, nameof(encoding.WebpQuality), encoding.WebpQuality, 1, 100);
        InRange(failures, nameof(encoding.AvifQuality), encoding.AvifQuality, 1, 100);
        InRange(failures, nameof(encoding.AvifEffort), encoding.AvifEffort, 0, 9);
        InRange(failures, nameof(encoding.WebpEffort), encoding.WebpEffort, 0, 6);
        InRange(failures, nameof(encoding.GifEffort), encoding.GifEffort, 1, 10);
        InRange(failures, nameof(encoding.GifDither), encoding.GifDither, 0, 1);
        InRange(failures, nameof(encoding.PngCompression), encoding.PngCompression, 0, 9);
    }

    private static void InRange(List<string> failures, string setting, double value, double minimum, double maximum)
    {
        // The negated form also rejects NaN.
        if (!(value >= minimum && value <= maximum))
        {
            failures.Add(string.Create(
                CultureInfo.InvariantCulture, $"{Section}{setting} must be between {minimum} and {maximum} (is {value})."));
        }
    }
}
