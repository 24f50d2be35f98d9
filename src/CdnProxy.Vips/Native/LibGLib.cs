using System.Runtime.InteropServices;

namespace CdnProxy.Vips.Native;

/// <summary>GLib memory functions.</summary>
internal static partial class LibGLib
{
    private const string Lib = NativeLibraryResolver.GLibName;

    [LibraryImport(Lib)]
    internal static partial void g_free(nint mem);

    [LibraryImport(Lib)]
    internal static partial void g_strfreev(nint strings);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial uint g_log_set_handler(string logDomain, int logLevels, delegate* unmanaged<nint, int, nint, nint, void> logFunc, nint userData);
}
