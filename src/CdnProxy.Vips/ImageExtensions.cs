using System.Globalization;
using NetVips;

namespace CdnProxy.Vips;

/// <summary>
/// The few image helpers that NetVips does not have in the shape CdnProxy needs: typed metadata reads, animation and
/// metadata fields set on a copy, saving with metadata stripped on every libvips version, and raw pixel access.
/// </summary>
public static class ImageExtensions
{
    // libvips' page count meaning "every page".
    private const string PageHeightField = "page-height";

    /// <summary>True when the image carries the metadata field <paramref name="name"/>.</summary>
    public static bool HasField(this Image image, string name)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.GetTypeOf(name) != 0;
    }

    /// <summary>An integer metadata field, or null when absent or not an integer.</summary>
    public static int? GetInt(this Image image, string name) =>
        image.HasField(name) && image.Get(name) is int value ? value : null;

    /// <summary>A string metadata field, or null when absent or not a string.</summary>
    public static string? GetString(this Image image, string name) =>
        image.HasField(name) && image.Get(name) is string value ? value : null;

    /// <summary>An integer-array metadata field (e.g. an animation's <c>delay</c>), or null when absent or of another type.</summary>
    public static int[]? GetIntArray(this Image image, string name) =>
        image.HasField(name) && image.Get(name) is int[] value ? value : null;

    /// <summary>Pages (frames) in the source; 1 for still images.</summary>
    public static int Pages(this Image image) => image.GetInt("n-pages") ?? 1;

    /// <summary>
    /// A copy (pixels shared) laid out as an animation: pages of <paramref name="pageHeight"/> rows stacked
    /// vertically, shown for <paramref name="delays"/> milliseconds each, repeated <paramref name="loop"/> times
    /// (0 = forever). The GIF and WebP savers read these fields.
    /// </summary>
    public static Image WithAnimation(this Image image, int pageHeight, IReadOnlyList<int> delays, int loop)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(delays);
        if (pageHeight <= 0 || image.Height % pageHeight != 0 || image.Height / pageHeight != delays.Count)
        {
            throw new ArgumentException($"{image.Height} rows do not hold {delays.Count} pages of {pageHeight}", nameof(pageHeight));
        }

        return image.Mutate(copy =>
        {
            copy.Set(GValue.GIntType, PageHeightField, pageHeight);
            copy.Set(GValue.GIntType, "n-pages", delays.Count);
            copy.Set(GValue.GIntType, "loop", loop);
            copy.Set(GValue.ArrayIntType, "delay", delays.ToArray());
        });
    }

    /// <summary>
    /// A copy without EXIF, XMP, IPTC, ICC and orientation metadata (pixels are shared). Used where the saver cannot
    /// be told to drop metadata itself (libvips before 8.15).
    /// </summary>
    public static Image WithoutMetadata(this Image image) => image.WithoutMetadataExcept(static _ => false);

    /// <summary>
    /// A copy without EXIF, XMP, IPTC, ICC and orientation metadata except the fields <paramref name="keep"/> accepts
    /// (e.g. <c>exif-ifd0-Copyright</c>); pixels are shared.
    /// </summary>
    public static Image WithoutMetadataExcept(this Image image, Func<string, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(keep);
        var fields = image.GetFields().Where(field => IsMetadataField(field) && !keep(field)).ToList();
        return image.Mutate(copy => fields.ForEach(field => copy.Remove(field)));
    }

    /// <summary>A copy (pixels shared) with the string metadata field <paramref name="name"/> set to <paramref name="value"/>.</summary>
    public static Image WithString(this Image image, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Mutate(copy => copy.Set(GValue.GStrType, name, value));
    }

    /// <summary>
    /// Encodes with the saver <paramref name="saver"/> (e.g. <c>jpegsave_buffer</c>). Metadata is stripped unless
    /// <paramref name="keep"/> names what to keep; the caller then removes from the image whatever it must not write.
    /// </summary>
    public static byte[] SaveToBuffer(this Image image, string saver, SaveOptions? options = null, Enums.ForeignKeep keep = Enums.ForeignKeep.None)
    {
        ArgumentNullException.ThrowIfNull(image);
        var introspect = Introspect.Get(saver);
        var arguments = (options ?? new SaveOptions()).ToVOption(introspect);
        if (introspect.OptionalInput.ContainsKey("keep"))
        {
            arguments.Add("keep", keep);
            return (byte[])Operation.Call(saver, arguments, image);
        }

        // libvips 8.14's `strip` misses EXIF in some savers (WebP): remove the fields from the image itself.
        var stripAll = keep == Enums.ForeignKeep.None;
        using var stripped = stripAll ? image.WithoutMetadata() : null;
        if (introspect.OptionalInput.ContainsKey("strip"))
        {
            arguments.Add("strip", stripAll);
        }

        return (byte[])Operation.Call(saver, arguments, stripped ?? image);
    }

    /// <summary>
    /// Computes the whole image into one libvips buffer (rows top to bottom, each pixel's bands in order, in the
    /// image's band format) and passes it to <paramref name="read"/> without a managed copy; the span is valid only
    /// during the call.
    /// </summary>
    public static unsafe TResult ReadPixels<TResult>(this Image image, Func<ReadOnlySpan<byte>, TResult> read)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(read);
        var data = image.WriteToMemory(out var size);
        if (data == 0)
        {
            throw new VipsException("unable to write the image to memory");
        }

        try
        {
            return read(new ReadOnlySpan<byte>((void*)data, checked((int)size)));
        }
        finally
        {
            NetVips.NetVips.Free(data);
        }
    }

    /// <summary>The pixels as one packed buffer, in the image's band format. Computes the whole image.</summary>
    public static byte[] ToPixelBytes(this Image image) => image.ReadPixels(static pixels => pixels.ToArray());

    /// <summary>A new 8-bit image of <paramref name="bands"/> bands from <paramref name="pixels"/>, copied into libvips' memory.</summary>
    public static Image FromPixels(ReadOnlySpan<byte> pixels, int width, int height, int bands)
    {
        if ((long)width * height * bands != pixels.Length)
        {
            throw new ArgumentException("The pixel buffer does not match width × height × bands.", nameof(pixels));
        }

        return Image.NewFromMemoryCopy(pixels, width, height, bands, Enums.BandFormat.Uchar);
    }

    /// <summary>
    /// The box left after removing edges that differ from <paramref name="background"/> (one value per band, alpha
    /// excluded) by less than <paramref name="threshold"/>; width or height 0 when nothing would be left.
    /// </summary>
    public static (int Left, int Top, int Width, int Height) FindTrimBox(this Image image, double threshold, double[] background)
    {
        ArgumentNullException.ThrowIfNull(image);
        var box = image.FindTrim(threshold, background);
        return (Convert.ToInt32(box[0], CultureInfo.InvariantCulture), Convert.ToInt32(box[1], CultureInfo.InvariantCulture),
            Convert.ToInt32(box[2], CultureInfo.InvariantCulture), Convert.ToInt32(box[3], CultureInfo.InvariantCulture));
    }

    /// <summary>Replaces each pixel with the median of the <paramref name="size"/> × <paramref name="size"/> window around it.</summary>
    public static Image Median(this Image image, int size)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Rank(size, size, size * size / 2);
    }

    private static bool IsMetadataField(string field) =>
        field.StartsWith("exif", StringComparison.Ordinal)
        || field.StartsWith("xmp", StringComparison.Ordinal)
        || field.StartsWith("iptc", StringComparison.Ordinal)
        || field.StartsWith("icc-profile", StringComparison.Ordinal)
        || field == "orientation";
}
