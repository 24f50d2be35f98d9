using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;
using CdnProxy.Core.Rendering.Savers;
using NetVips;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// Encodes an sRGB 8-bit image to an output format. Each format's options and its meaning of quality live in its
/// own saver (Rendering/Savers; the table is in docs/formats.md). Metadata is stripped, except the copyright
/// notice when <see cref="EncoderOptions.KeepCopyright"/> is on.
/// </summary>
public sealed class ImageEncoder
{
    private static readonly double[] White = [255, 255, 255];
    private static readonly double[] WhiteGrey = [255];

    private readonly EncoderOptions _options;
    private readonly Dictionary<OutputFormat, IFormatSaver> _savers;

    public ImageEncoder(EncoderOptions options, EncoderCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(capabilities);
        _options = options;
        _savers = new Dictionary<OutputFormat, IFormatSaver>
        {
            [OutputFormat.Jpeg] = new JpegSaver(options.JpegQuality),
            [OutputFormat.Png] = new PngSaver(options.PngCompression),
            [OutputFormat.Webp] = new WebpSaver(options.WebpQuality, options.WebpEffort),
            [OutputFormat.Avif] = new HeifSaver("av1", options.AvifQuality, options.AvifEffort),
            [OutputFormat.Gif] = new GifSaver(options.GifEffort, options.GifDither),
            [OutputFormat.Tiff] = new TiffSaver(options.JpegQuality),
            [OutputFormat.Bmp] = new BmpSaver(),
        };
        if (capabilities.HeifCompression is { } heif)
        {
            _savers[OutputFormat.Heif] = new HeifSaver(heif, options.AvifQuality, options.AvifEffort);
        }
    }

    /// <summary>The quality used when the URL does not set one.</summary>
    public int DefaultQuality(OutputFormat format) => Saver(format).DefaultQuality;

    public byte[] Encode(VipsImage image, OutputFormat format, int? quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        var saver = Saver(format);
        var q = Math.Clamp(quality ?? saver.DefaultQuality, 1, 100);
        using var prepared = PrepareBands(image, format);
        var target = prepared ?? image;
        using var notice = _options.KeepCopyright ? CopyrightNotice.Isolate(target) : null;
        return saver.Save(notice ?? target, q, notice is null ? Enums.ForeignKeep.None : Enums.ForeignKeep.Exif);
    }

    private IFormatSaver Saver(OutputFormat format) =>
        _savers.TryGetValue(format, out var saver)
            ? saver
            : throw new ArgumentOutOfRangeException(nameof(format), format, "Not an encodable format here");

    /// <summary>
    /// Formats without alpha get the image flattened on white (never a black or CMYK-looking JPEG), and every
    /// format gets 8-bit bands. Returns null when the image is already fine.
    /// </summary>
    private static VipsImage? PrepareBands(VipsImage image, OutputFormat format)
    {
        VipsImage? current = null;
        if (image.HasAlpha() && format == OutputFormat.Jpeg)
        {
            current = image.Flatten(image.Bands > 2 ? White : WhiteGrey);
        }

        if ((current ?? image).Format != Enums.BandFormat.Uchar)
        {
            var cast = (current ?? image).Cast(Enums.BandFormat.Uchar);
            current?.Dispose();
            current = cast;
        }

        return current;
    }
}
