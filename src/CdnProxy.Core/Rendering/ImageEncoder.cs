using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering;

/// <summary>Encodes an sRGB 8-bit image to an output format with per-format defaults (see docs/operations.md).</summary>
public sealed class ImageEncoder
{
    private static readonly double[] White = [255, 255, 255];

    private readonly EncoderOptions _options;

    public ImageEncoder(EncoderOptions options)
    {
        _options = options;
    }

    /// <summary>The quality used when the URL does not set one.</summary>
    public int DefaultQuality(OutputFormat format) => format switch
    {
        OutputFormat.Avif => _options.AvifQuality,
        OutputFormat.Webp => _options.WebpQuality,
        _ => _options.JpegQuality,
    };

    public byte[] Encode(VipsImage image, OutputFormat format, int? quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        var q = Math.Clamp(quality ?? DefaultQuality(format), 1, 100);
        using var prepared = PrepareBands(image, format);
        var target = prepared ?? image;
        return format switch
        {
            OutputFormat.Jpeg => target.SaveToBuffer("jpegsave_buffer", c => c.Set("Q", q).Set("optimize_coding", true).SetIfPresent("subsample_mode", "on")),
            OutputFormat.Png => target.SaveToBuffer("pngsave_buffer", c => c.Set("compression", _options.PngCompression)),
            OutputFormat.Webp => target.SaveToBuffer("webpsave_buffer", c => c.Set("Q", q).SetIfPresent("effort", _options.WebpEffort)),
            OutputFormat.Avif => target.SaveToBuffer("heifsave_buffer", c => c.Set("Q", q).Set("compression", "av1")
                .SetIfPresent("effort", _options.AvifEffort).SetIfPresent("subsample_mode", "auto")),
            OutputFormat.Gif => target.SaveToBuffer("gifsave_buffer", c => c.SetIfPresent("effort", _options.GifEffort)
                .SetIfPresent("dither", _options.GifDither)),
            OutputFormat.Tiff => target.SaveToBuffer("tiffsave_buffer", c => c.Set("Q", q)
                .Set("compression", target.HasAlpha ? "deflate" : "jpeg")),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not an encodable format"),
        };
    }

    /// <summary>
    /// Formats without alpha get the image flattened on white (never a black or CMYK-looking JPEG), and every
    /// format gets 8-bit bands. Returns null when the image is already fine.
    /// </summary>
    private static VipsImage? PrepareBands(VipsImage image, OutputFormat format)
    {
        VipsImage? current = null;
        if (image.HasAlpha && format == OutputFormat.Jpeg)
        {
            current = image.Flatten(image.Bands > 2 ? White : White.AsSpan(0, 1));
        }

        if ((current ?? image).Format != VipsBandFormat.Unsigned8)
        {
            var cast = (current ?? image).Cast("uchar");
            current?.Dispose();
            current = cast;
        }

        return current;
    }
}
