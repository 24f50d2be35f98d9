using System.Runtime.InteropServices;

namespace CdnProxy.Vips.Native;

/// <summary>GLib memory functions.</summary>
internal static partial class LibGLib
{
    private const string Lib = NativeLibraryResolver.GLibName;

    [LibraryImport(Lib)]
    internal static partial void g_free(nint mem);
}
