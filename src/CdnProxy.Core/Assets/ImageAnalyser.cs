using CdnProxy.Vips;
using NetVips;

namespace CdnProxy.Core.Assets;

/// <summary>
/// Builds an <see cref="ImageInfo"/> from an original's bytes: the header (no pixels) for the facts, and one small
/// copy for the colours and the placeholder, decoded at the loader's cheapest scale (a 16 MP JPEG decodes at 1/8,
/// 664 × 374) and streamed, so no original is ever decoded whole.
/// </summary>
public static class ImageAnalyser
{
    /// <summary>Bump when the analysis changes what it answers for the same file: cached info is keyed by it.</summary>
    public const string SchemaVersion = "1";

    /// <summary>The longest side of the copy the colours and placeholder are computed from.</summary>
    public const int SampleSize = 64;

    private const int PaletteColors = 8;

    /// <summary>The info and the size the pixels were decoded at (the proof that nothing was decoded whole).</summary>
    public static (ImageInfo Info, int DecodedWidth, int DecodedHeight) Analyse(ReadOnlySpan<byte> source, bool includeGps)
    {
        var loader = VipsLoader.FindLoader(source);
        if (loader is null || !VipsRuntime.IsAllowedLoader(loader))
        {
            throw new CdnException(CdnErrorKind.UnsupportedFormat, "The original is not in a supported image format");
        }

        try
        {
            using var header = VipsLoader.Load(loader, source, failOnTruncated: false);
            var meta = ImageHeaderReader.Describe(loader, header, source.Length);
            var fields = header.GetFields().Select(name => new KeyValuePair<string, string?>(name, FieldText(header, name))).ToList();
            var (sample, decodedWidth, decodedHeight) = Sample(loader, source, header);
            var (pixels, bands) = (sample.Pixels, sample.Bands);
            var palette = ColorPalette.Of(pixels, bands, PaletteColors);
            var info = new ImageInfo
            {
                Context = new ImageInfoContext(meta),
                Delays = meta.Pages > 1 ? header.GetIntArray("delay") : null,
                Loop = meta.Pages > 1 ? header.GetInt("loop") ?? 0 : null,
                IccDescription = header.HasField("icc-profile-data") ? IccProfileDescription.Read(header.Get("icc-profile-data") as byte[]) : null,
                Exif = ExifTags.From(fields, includeGps),
                DominantColor = palette.Count > 0 ? palette[0].Hex : null,
                Palette = palette,
                Blurhash = BlurHash.Encode(sample.Rgb, sample.Width, sample.Height, sample.Width >= sample.Height ? 4 : 3, sample.Width >= sample.Height ? 3 : 4),
            };
            return (info, decodedWidth, decodedHeight);
        }
        catch (VipsException e)
        {
            throw new CdnException(CdnErrorKind.UndecodableImage, "The original could not be decoded: it is corrupt or truncated", e);
        }
    }

    /// <summary>A copy at most <see cref="SampleSize"/> px a side, upright, as RGB(A) bytes and as RGB bytes.</summary>
    private static (SamplePixels Sample, int DecodedWidth, int DecodedHeight) Sample(string loader, ReadOnlySpan<byte> source, VipsImage header)
    {
        var reduction = (double)Math.Max(header.Width, PageHeight(header)) / SampleSize;
        var shrink = VipsLoader.ShrinkOnLoadFactor(loader, reduction);
        using var decoded = shrink > 1
            ? VipsLoader.LoadShrunk(loader, source, shrink, sequential: true, failOnTruncated: false)
            : VipsLoader.Load(loader, source, failOnTruncated: false);
        using var firstPage = PageHeight(decoded) < decoded.Height ? decoded.Crop(0, 0, decoded.Width, PageHeight(decoded)) : decoded.Copy();
        var scale = (double)SampleSize / Math.Max(firstPage.Width, firstPage.Height);
        using var small = scale < 1 ? firstPage.Resize(scale) : firstPage.Copy();
        using var srgb = small.Colourspace(Enums.Interpretation.Srgb);
        using var eight = srgb.Cast(Enums.BandFormat.Uchar);
        using var memory = eight.CopyMemory();
        using var upright = memory.Autorot();
        using var rgba = upright.Bands switch
        {
            >= 4 => upright.ExtractBand(0, n: 4),
            3 => upright.Copy(),
            _ => upright.Bandjoin(upright, upright),
        };
        using var flat = rgba.Bands == 4 ? rgba.Flatten(background: [255.0, 255.0, 255.0]) : rgba.Copy();
        using var rgb = flat.Cast(Enums.BandFormat.Uchar);
        var sample = new SamplePixels(rgba.WriteToMemory<byte>(), rgba.Bands, rgb.WriteToMemory<byte>(), upright.Width, upright.Height);
        return (sample, decoded.Width, PageHeight(decoded));
    }

    private static int PageHeight(VipsImage image) =>
        image.GetInt("page-height") is { } height && height > 0 && image.Height % height == 0 ? height : image.Height;

    private static string? FieldText(VipsImage image, string name) =>
        name.StartsWith("exif-ifd", StringComparison.Ordinal) ? image.GetString(name) : null;

    private sealed record SamplePixels(byte[] Pixels, int Bands, byte[] Rgb, int Width, int Height);
}
