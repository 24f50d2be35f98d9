using System.Runtime.InteropServices;
using CdnProxy.Vips.Native;

namespace CdnProxy.Vips;

/// <summary>Finding and running libvips loaders on in-memory sources.</summary>
public static class VipsLoader
{
    // libvips' page count meaning "every page".
    private const int AllPages = -1;

    /// <summary>
    /// The loader (e.g. <c>jpegload_buffer</c>) libvips would use for these bytes, or null when no allowed
    /// loader recognises them.
    /// </summary>
    public static unsafe string? FindLoader(ReadOnlySpan<byte> source)
    {
        nint name;
        fixed (byte* data = source)
        {
            name = LibVips.vips_foreign_find_load_buffer((nint)data, (nuint)source.Length);
        }

        if (name == 0)
        {
            VipsException.TakeErrorBuffer();
            return null;
        }

        var loader = Marshal.PtrToStringUTF8(name);
        return loader is not null && VipsRuntime.IsAllowedLoader(loader) ? loader : null;
    }

    /// <summary>
    /// Opens the image with <paramref name="loader"/>. Pixels are decoded lazily, when something reads them.
    /// <paramref name="failOnTruncated"/> turns truncated or corrupt data into an error instead of a grey area.
    /// With <paramref name="allPages"/> a multi-page source (an animation) opens as one vertical strip of its pages,
    /// with <c>page-height</c>, <c>delay</c> and <c>loop</c> set; otherwise only the first page is read.
    /// </summary>
    public static VipsImage Load(string loader, ReadOnlySpan<byte> source, bool failOnTruncated = true, bool allPages = false)
    {
        using var call = VipsCall.Create(loader).SetBuffer("buffer", source);
        SetFailOn(call, failOnTruncated);
        if (allPages)
        {
            call.SetIfPresent("n", AllPages); // loaders of single-image formats have no page count
        }

        return call.Invoke().GetImage("out");
    }

    /// <summary>
    /// Loads and shrinks in one step (shrink-on-load), auto-orienting from EXIF. The result reads sequentially.
    /// </summary>
    /// <param name="source">The encoded image.</param>
    /// <param name="width">Target width, or a huge value when only the height constrains.</param>
    /// <param name="height">Target height, or a huge value when only the width constrains.</param>
    /// <param name="force">Stretch to exactly width × height instead of fitting inside.</param>
    /// <param name="failOnTruncated">Fail on truncated or corrupt data.</param>
    public static VipsImage Thumbnail(ReadOnlySpan<byte> source, int width, int height, bool force, bool failOnTruncated = true)
    {
        using var call = VipsCall.Create("thumbnail_buffer")
            .SetBuffer("buffer", source)
            .Set("width", width)
            .Set("height", height)
            .Set("size", force ? "force" : "both");

        // Older libvips ignores thumbnail's fail_on property, so it goes through the loader's option string.
        if (failOnTruncated)
        {
            call.Set("option_string", "fail_on=truncated");
        }

        return call.Invoke().GetImage("out");
    }

    private static void SetFailOn(VipsCall call, bool failOnTruncated)
    {
        if (call.Has("fail_on"))
        {
            call.Set("fail_on", failOnTruncated ? "truncated" : "none");
        }
        else
        {
            call.SetIfPresent("fail", failOnTruncated);
        }
    }
}
