using System.Runtime.InteropServices;

namespace CdnProxy.Vips;

/// <summary>
/// Which libvips the process runs on. By default the one the NetVips.Native package bundles (the same build as
/// sharp's, restored by <c>dotnet restore</c> for every OS, next to the application in <c>runtimes/</c>). A build with
/// <c>-p:CdnProxyLibvips=system</c> leaves it out, and NetVips then loads the OS's libvips (e.g. Debian's libvips42).
/// The choice is made at build time because NetVips loads libvips as soon as its assembly loads, before any of our
/// code could choose.
/// </summary>
public static class VipsLibrary
{
    /// <summary>The shared library file this process loaded libvips from, when the OS says (Linux), else null.</summary>
    public static string? LoadedPath()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }

        return File.ReadLines(maps)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libvips", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .FirstOrDefault();
    }

    /// <summary><c>bundled</c> when <paramref name="path"/> lies under the application's folder, else <c>system</c>.</summary>
    public static string SourceOf(string? path) =>
        path is not null && Path.GetFullPath(path).StartsWith(Path.GetFullPath(AppContext.BaseDirectory), StringComparison.Ordinal)
            ? "bundled"
            : "system";

    /// <summary>The loaded libvips' handle, for the few functions NetVips does not wrap.</summary>
    internal static nint Handle() =>
        NativeLibrary.Load(
            OperatingSystem.IsWindows() ? "libvips-42.dll" : OperatingSystem.IsMacOS() ? "libvips.42.dylib" : "libvips.so.42",
            typeof(NetVips.Image).Assembly,
            null);
}
