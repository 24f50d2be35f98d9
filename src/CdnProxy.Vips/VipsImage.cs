using System.Runtime.InteropServices;
using CdnProxy.Vips.Native;

namespace CdnProxy.Vips;

/// <summary>
/// An owned reference to a libvips image. Dispose it as soon as the next image in a chain exists;
/// never keep one beyond a single render or share it between threads.
/// </summary>
public sealed class VipsImage : SafeHandle
{
    /// <summary>Wraps a pointer this object now owns (one reference).</summary>
    internal VipsImage(nint handle)
        : base(0, ownsHandle: true)
    {
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    public int Width => LibVips.vips_image_get_width(Pointer);

    public int Height => LibVips.vips_image_get_height(Pointer);

    public int Bands => LibVips.vips_image_get_bands(Pointer);

    public bool HasAlpha => LibVips.vips_image_hasalpha(Pointer) != 0;

    /// <summary>Pages (frames) in the source; 1 for still images.</summary>
    public int Pages => LibVips.vips_image_get_n_pages(Pointer);

    /// <summary>
    /// The height of one page when the image is a vertical strip of equal pages (an animation's frames); the
    /// whole height otherwise.
    /// </summary>
    public int PageHeight => LibVips.vips_image_get_page_height(Pointer);

    public VipsBandFormat Format => (VipsBandFormat)LibVips.vips_image_get_format(Pointer);

    public VipsInterpretation Interpretation => (VipsInterpretation)LibVips.vips_image_get_interpretation(Pointer);

    /// <summary>Horizontal resolution in pixels per millimetre (libvips' unit; 1 when the source set none).</summary>
    public double HorizontalResolution => LibVips.vips_image_get_xres(Pointer);

    /// <summary>Vertical resolution in pixels per millimetre.</summary>
    public double VerticalResolution => LibVips.vips_image_get_yres(Pointer);

    /// <summary>The pointer, valid while this object is alive and not disposed.</summary>
    internal nint Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }

    /// <summary>True when the image carries the metadata field <paramref name="name"/>.</summary>
    public bool HasField(string name) => LibVips.vips_image_get_typeof(Pointer, name) != 0;

    /// <summary>An integer metadata field, or null when absent or not an integer.</summary>
    public int? GetInt(string name)
    {
        if (!HasField(name))
        {
            return null;
        }

        if (LibVips.vips_image_get_int(Pointer, name, out var value) == 0)
        {
            return value;
        }

        VipsException.TakeErrorBuffer();
        return null;
    }

    /// <summary>The names of every metadata field the image carries.</summary>
    public IReadOnlyList<string> FieldNames()
    {
        var names = new List<string>();
        var fields = LibVips.vips_image_get_fields(Pointer);
        try
        {
            for (var i = 0; Marshal.ReadIntPtr(fields, i * IntPtr.Size) is var entry && entry != 0; i++)
            {
                names.Add(Marshal.PtrToStringUTF8(entry)!);
            }
        }
        finally
        {
            LibGLib.g_strfreev(fields);
        }

        return names;
    }

    /// <summary>A string metadata field, or null when absent or not a string.</summary>
    public string? GetString(string name)
    {
        if (!HasField(name))
        {
            return null;
        }

        if (LibVips.vips_image_get_string(Pointer, name, out var value) == 0)
        {
            return Marshal.PtrToStringUTF8(value);
        }

        VipsException.TakeErrorBuffer();
        return null;
    }

    /// <summary>An integer-array metadata field (e.g. an animation's <c>delay</c>), or null when absent or of another type.</summary>
    public int[]? GetIntArray(string name)
    {
        if (!HasField(name))
        {
            return null;
        }

        if (LibVips.vips_image_get_array_int(Pointer, name, out var values, out var count) != 0)
        {
            VipsException.TakeErrorBuffer();
            return null;
        }

        var result = new int[count];
        Marshal.Copy(values, result, 0, count);
        return result;
    }

    /// <summary>
    /// A copy (pixels shared) laid out as an animation: pages of <paramref name="pageHeight"/> rows stacked
    /// vertically, shown for <paramref name="delays"/> milliseconds each, repeated <paramref name="loop"/> times
    /// (0 = forever). The GIF and WebP savers read these fields.
    /// </summary>
    public unsafe VipsImage WithAnimation(int pageHeight, ReadOnlySpan<int> delays, int loop)
    {
        if (pageHeight <= 0 || Height % pageHeight != 0 || Height / pageHeight != delays.Length)
        {
            throw new ArgumentException($"{Height} rows do not hold {delays.Length} pages of {pageHeight}", nameof(pageHeight));
        }

        using var call = VipsCall.Create("copy").Set("in", this).Invoke();
        var copy = call.GetImage("out");

        // Safe: the copy is new and not shared with any other image yet.
        LibVips.vips_image_set_int(copy.Pointer, "page-height", pageHeight);
        LibVips.vips_image_set_int(copy.Pointer, "n-pages", delays.Length);
        LibVips.vips_image_set_int(copy.Pointer, "loop", loop);
        fixed (int* data = delays)
        {
            LibVips.vips_image_set_array_int(copy.Pointer, "delay", data, delays.Length);
        }

        return copy;
    }

    /// <summary>
    /// A copy without EXIF, XMP, IPTC, ICC and orientation metadata (pixels are shared, not copied). Used where the
    /// saver cannot be told to drop metadata itself (libvips before 8.15).
    /// </summary>
    public VipsImage WithoutMetadata() => WithoutMetadataExcept(static _ => false);

    /// <summary>
    /// A copy without EXIF, XMP, IPTC, ICC and orientation metadata except the fields <paramref name="keep"/> accepts
    /// (e.g. <c>exif-ifd0-Copyright</c>); pixels are shared, not copied.
    /// </summary>
    public VipsImage WithoutMetadataExcept(Func<string, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var copy = ShallowCopy();
        foreach (var field in copy.FieldNames())
        {
            if (IsMetadataField(field) && !keep(field))
            {
                // Safe: the copy is new and not shared with any other image yet.
                LibVips.vips_image_remove(copy.Pointer, field);
            }
        }

        return copy;
    }

    /// <summary>A copy (pixels shared) with the string metadata field <paramref name="name"/> set to <paramref name="value"/>.</summary>
    public VipsImage WithString(string name, string value)
    {
        var copy = ShallowCopy();

        // Safe: the copy is new and not shared with any other image yet.
        LibVips.vips_image_set_string(copy.Pointer, name, value);
        return copy;
    }

    /// <summary>
    /// The pixels as one packed buffer: rows top to bottom, each pixel's bands in order, in the image's band format.
    /// Computes the whole image.
    /// </summary>
    public byte[] ToPixelBytes() => ReadPixels(pixels => pixels.ToArray());

    /// <summary>
    /// Computes the whole image into one libvips buffer laid out as <see cref="ToPixelBytes"/> and passes it to
    /// <paramref name="read"/> without a managed copy (a large image is otherwise held twice); the span is valid only
    /// during the call.
    /// </summary>
    public unsafe TResult ReadPixels<TResult>(Func<ReadOnlySpan<byte>, TResult> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var data = LibVips.vips_image_write_to_memory(Pointer, out var size);
        if (data == 0)
        {
            throw VipsException.FromErrorBuffer("write_to_memory failed");
        }

        try
        {
            return read(new ReadOnlySpan<byte>((void*)data, checked((int)size)));
        }
        finally
        {
            LibGLib.g_free(data);
        }
    }

    private static bool IsMetadataField(string field) =>
        field.StartsWith("exif", StringComparison.Ordinal)
        || field.StartsWith("xmp", StringComparison.Ordinal)
        || field.StartsWith("iptc", StringComparison.Ordinal)
        || field.StartsWith("icc-profile", StringComparison.Ordinal)
        || field == "orientation";

    private VipsImage ShallowCopy()
    {
        using var call = VipsCall.Create("copy").Set("in", this).Invoke();
        return call.GetImage("out");
    }

    /// <summary>
    /// A new 8-bit image of <paramref name="bands"/> bands from <paramref name="pixels"/> (row by row, bands
    /// interleaved), copied into libvips-owned memory.
    /// </summary>
    public static unsafe VipsImage FromPixels(ReadOnlySpan<byte> pixels, int width, int height, int bands)
    {
        if ((long)width * height * bands != pixels.Length)
        {
            throw new ArgumentException("The pixel buffer does not match width × height × bands.", nameof(pixels));
        }

        nint image;
        fixed (byte* data = pixels)
        {
            image = LibVips.vips_image_new_from_memory_copy((nint)data, (nuint)pixels.Length, width, height, bands, (int)VipsBandFormat.Unsigned8);
        }

        return image != 0 ? new VipsImage(image) : throw VipsException.FromErrorBuffer("new_from_memory_copy failed");
    }

    /// <summary>Renders the image into memory, so later steps can read it in any order.</summary>
    public VipsImage CopyMemory()
    {
        var copy = LibVips.vips_image_copy_memory(Pointer);
        return copy != 0 ? new VipsImage(copy) : throw VipsException.FromErrorBuffer("copy_memory failed");
    }

    protected override bool ReleaseHandle()
    {
        LibGObject.g_object_unref(handle);
        return true;
    }
}
