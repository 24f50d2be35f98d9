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

    public VipsBandFormat Format => (VipsBandFormat)LibVips.vips_image_get_format(Pointer);

    public VipsInterpretation Interpretation => (VipsInterpretation)LibVips.vips_image_get_interpretation(Pointer);

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

    /// <summary>
    /// A copy without EXIF, XMP, IPTC, ICC and orientation metadata (pixels are shared, not copied). Used where the
    /// saver cannot be told to drop metadata itself (libvips before 8.15).
    /// </summary>
    public VipsImage WithoutMetadata()
    {
        using var call = VipsCall.Create("copy").Set("in", this).Invoke();
        var copy = call.GetImage("out");
        var fields = LibVips.vips_image_get_fields(copy.Pointer);
        try
        {
            for (var i = 0; Marshal.ReadIntPtr(fields, i * IntPtr.Size) is var entry && entry != 0; i++)
            {
                var field = Marshal.PtrToStringUTF8(entry)!;
                if (IsMetadataField(field))
                {
                    // Safe: the copy is new and not shared with any other image yet.
                    LibVips.vips_image_remove(copy.Pointer, field);
                }
            }
        }
        finally
        {
            LibGLib.g_strfreev(fields);
        }

        return copy;
    }

    private static bool IsMetadataField(string field) =>
        field.StartsWith("exif", StringComparison.Ordinal)
        || field.StartsWith("xmp", StringComparison.Ordinal)
        || field.StartsWith("iptc", StringComparison.Ordinal)
        || field.StartsWith("icc-profile", StringComparison.Ordinal)
        || field == "orientation";

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
