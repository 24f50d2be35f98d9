using CdnProxy.Core.Transformations;
using CdnProxy.Core.Transformations.Faces;
using CdnProxy.Vips;
using NetVips;

namespace CdnProxy.Core.Assets;

/// <summary>
/// Builds an <see cref="ImageInfo"/> from an original's bytes: the header (no pixels) for the facts, and one small
/// copy for the colours and the placeholder, decoded at the loader's cheapest scale (a 16 MP JPEG decodes at 1/8,
/// 664 × 374) and streamed, so no original is ever decoded whole. Faces, when asked for, are looked for in a second
/// copy of at most <see cref="FaceSearch.MaxSide"/> px, made the same way.
/// </summary>
public static class ImageAnalyser
{
    /// <summary>Bump when the analysis changes what it answers for the same file: cached info is keyed by it.</summary>
    public const string SchemaVersion = "2";

    /// <summary>The longest side of the copy the colours and placeholder are computed from.</summary>
    public const int SampleSize = 64;

    private const int PaletteColors = 8;

    /// <summary>The info and the size the pixels were decoded at (the proof that nothing was decoded whole).</summary>
    public static (ImageInfo Info, int DecodedWidth, int DecodedHeight) Analyse(ReadOnlySpan<byte> source, ImageAnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loader = VipsLoader.FindLoader(source);
        if (loader is null || !VipsRuntime.IsAllowedLoader(loader))
        {
            throw new CdnException(CdnErrorKind.UnsupportedFormat, "The original is not in a supported image format");
        }

        try
        {
            // One copy of the bytes for libvips, read by the header and both decodes.
            using var copy = VipsLoader.CopyToSource(source);
            using var header = VipsLoader.Load(loader, copy, failOnTruncated: false);
            if ((long)header.Width * header.Height > options.MaxSourcePixels)
            {
                // A bomb is refused from its header, before any pixel is decoded.
                throw new CdnException(CdnErrorKind.LimitExceeded, "The original has more pixels than this server accepts");
            }

            var meta = ImageHeaderReader.Describe(loader, header, source.Length);
            var fields = header.GetFields().Select(name => new KeyValuePair<string, string?>(name, FieldText(header, name))).ToList();
            var (sample, decodedWidth, decodedHeight) = Sample(loader, copy, header);
            var (pixels, bands) = (sample.Pixels, sample.Bands);
            var palette = ColorPalette.Of(pixels, bands, PaletteColors);
            var info = new ImageInfo
            {
                Context = new ImageInfoContext(meta),
                Delays = meta.Pages > 1 ? header.GetIntArray("delay") : null,
                Loop = meta.Pages > 1 ? header.GetInt("loop") ?? 0 : null,
                IccDescription = header.HasField("icc-profile-data") ? IccProfileDescription.Read(header.Get("icc-profile-data") as byte[]) : null,
                Exif = ExifTags.From(fields, options.IncludeGps),
                DominantColor = palette.Count > 0 ? palette[0].Hex : null,
                Palette = palette,
                Blurhash = BlurHash.Encode(sample.Rgb, sample.Width, sample.Height, sample.Width >= sample.Height ? 4 : 3, sample.Width >= sample.Height ? 3 : 4),
                Faces = options.Faces is { } detector ? FindFaces(loader, copy, header, detector, options.Deadline) : null,
            };
            return (info, decodedWidth, decodedHeight);
        }
        catch (VipsException e) when (options.Deadline?.Expired == true)
        {
            throw RenderDeadline.TimedOut(e);
        }
        catch (VipsException e)
        {
            throw new CdnException(CdnErrorKind.UndecodableImage, "The original could not be decoded: it is corrupt or truncated", e);
        }
    }

    /// <summary>The faces in the upright image, in the upright original's pixels (the first page of an animation).</summary>
    private static List<InfoFace> FindFaces(string loader, NetVips.Source source, VipsImage header, IFaceDetector detector, RenderDeadline? deadline)
    {
        var (copy, _, _) = SmallUpright(loader, source, header, FaceSearch.MaxSide, deadline);
        using (copy)
        {
            var faces = FaceSearch.Find(copy, detector, deadline);
            var back = (double)Math.Max(header.Width, PageHeight(header)) / Math.Max(copy.Width, copy.Height);
            return [.. faces.Select(f => f.Scale(back)).Select(f => new InfoFace(f.X, f.Y, f.Width, f.Height))];
        }
    }

    /// <summary>A copy at most <see cref="SampleSize"/> px a side, upright, as RGB(A) bytes and as RGB bytes.</summary>
    private static (SamplePixels Sample, int DecodedWidth, int DecodedHeight) Sample(string loader, NetVips.Source source, VipsImage header)
    {
        var (upright, decodedWidth, decodedHeight) = SmallUpright(loader, source, header, SampleSize, deadline: null);
        using (upright)
        {
            using var rgba = upright.Bands switch
            {
                >= 4 => upright.ExtractBand(0, n: 4),
                3 => upright.Copy(),
                _ => upright.Bandjoin(upright, upright),
            };
            using var flat = rgba.Bands == 4 ? rgba.Flatten(background: [255.0, 255.0, 255.0]) : rgba.Copy();
            using var rgb = flat.Cast(Enums.BandFormat.Uchar);
            var sample = new SamplePixels(rgba.WriteToMemory<byte>(), rgba.Bands, rgb.WriteToMemory<byte>(), upright.Width, upright.Height);
            return (sample, decodedWidth, decodedHeight);
        }
    }

    /// <summary>
    /// The first page at most <paramref name="maxSide"/> px a side, 8-bit sRGB (or grey), upright, in memory: decoded
    /// at the loader's cheapest scale and streamed. Also answers the size the decoder produced.
    /// </summary>
    private static (VipsImage Copy, int DecodedWidth, int DecodedHeight) SmallUpright(string loader, NetVips.Source source, VipsImage header, int maxSide, RenderDeadline? deadline)
    {
        var reduction = (double)Math.Max(header.Width, PageHeight(header)) / maxSide;
        var shrink = VipsLoader.ShrinkOnLoadFactor(loader, reduction);
        using var decoded = shrink > 1
            ? VipsLoader.LoadShrunk(loader, source, shrink, sequential: true, failOnTruncated: false)
            : VipsLoader.Load(loader, source, failOnTruncated: false);
        deadline?.Watch(decoded);
        using var firstPage = PageHeight(decoded) < decoded.Height ? decoded.Crop(0, 0, decoded.Width, PageHeight(decoded)) : decoded.Copy();
        var scale = (double)maxSide / Math.Max(firstPage.Width, firstPage.Height);
        using var small = scale < 1 ? firstPage.Resize(scale) : firstPage.Copy();
        using var srgb = small.Colourspace(Enums.Interpretation.Srgb);
        using var eight = srgb.Cast(Enums.BandFormat.Uchar);
        using var memory = RenderDeadline.InMemory(eight, deadline);
        return (memory.Autorot(), decoded.Width, PageHeight(decoded));
    }

    private static int PageHeight(VipsImage image) =>
        image.GetInt("page-height") is { } height && height > 0 && image.Height % height == 0 ? height : image.Height;

    private static string? FieldText(VipsImage image, string name) =>
        name.StartsWith("exif-ifd", StringComparison.Ordinal) ? image.GetString(name) : null;

    private sealed record SamplePixels(byte[] Pixels, int Bands, byte[] Rgb, int Width, int Height);
}

/// <summary>What <see cref="ImageAnalyser"/> is asked for, and its bounds.</summary>
public sealed record ImageAnalysisOptions
{
    /// <summary>Include the EXIF GPS tags (callers decide who may ask).</summary>
    public bool IncludeGps { get; init; }

    /// <summary>The detector to look for faces with; null: faces are not looked for (and not in the answer).</summary>
    public IFaceDetector? Faces { get; init; }

    /// <summary>Originals with more pixels are refused from their header.</summary>
    public long MaxSourcePixels { get; init; } = long.MaxValue;

    /// <summary>Stops the decoding and the face search when the time is up.</summary>
    public RenderDeadline? Deadline { get; init; }
}
