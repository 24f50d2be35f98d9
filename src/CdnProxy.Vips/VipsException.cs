using System.Runtime.InteropServices;
using CdnProxy.Vips.Native;

namespace CdnProxy.Vips;

/// <summary>
/// A libvips failure. <see cref="Exception.Message"/> holds libvips' own text: for logs only, never for clients.
/// </summary>
public sealed class VipsException : Exception
{
    public VipsException()
    {
    }

    public VipsException(string message)
        : base(message)
    {
    }

    public VipsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Builds an exception from the error buffer, which is copied and cleared (it is process-wide).</summary>
    internal static VipsException FromErrorBuffer(string context)
    {
        var detail = TakeErrorBuffer();
        return new VipsException(string.IsNullOrWhiteSpace(detail) ? context : $"{context}: {detail.Trim()}");
    }

    /// <summary>Copies and clears libvips' error buffer.</summary>
    internal static string TakeErrorBuffer()
    {
        var buffer = LibVips.vips_error_buffer_copy();
        if (buffer == 0)
        {
            return string.Empty;
        }

        try
        {
            return Marshal.PtrToStringUTF8(buffer) ?? string.Empty;
        }
        finally
        {
            LibGLib.g_free(buffer);
        }
    }
}
