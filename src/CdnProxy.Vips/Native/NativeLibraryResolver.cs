using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CdnProxy.Vips.Native;

/// <summary>
/// Maps the logical library names used by the bindings (vips, gobject, glib) to one real libvips:
/// the self-contained npm build (one .so exporting libvips, GLib and GObject) when present,
/// else Debian's libvips42 with its separate GLib libraries.
/// </summary>
internal static class NativeLibraryResolver
{
    public const string VipsName = "cdnproxy-vips";
    public const string GObjectName = "cdnproxy-gobject";
    public const string GLibName = "cdnproxy-glib";

    /// <summary>Environment variable naming the libvips shared library to load, overriding discovery.</summary>
    public const string PathVariable = "CDNPROXY_LIBVIPS";

    private const string BundledRelativeDirectory = ".native/libvips/lib";
    private const string SystemVips = "libvips.so.42";
    private const string SystemGObject = "libgobject-2.0.so.0";
    private const string SystemGLib = "libglib-2.0.so.0";

    private static readonly Lock Gate = new();
    private static LoadedLibraries? _loaded;

    /// <summary>Where libvips came from, once loaded: "bundled", "system" or "environment", and its path.</summary>
    public static (string Source, string Path)? Description =>
        _loaded is { } l ? (l.Source, l.VipsPath) : null;

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The resolver must be registered before any P/Invoke in this assembly binds.")]
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        var libs = EnsureLoaded();
        return name switch
        {
            VipsName => libs.Vips,
            GObjectName => libs.GObject,
            GLibName => libs.GLib,
            _ => 0,
        };
    }

    private static LoadedLibraries EnsureLoaded()
    {
        lock (Gate)
        {
            return _loaded ??= Load();
        }
    }

    private static LoadedLibraries Load()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return LoadSelfContainedOrSplit(fromEnvironment, "environment");
        }

        if (FindBundled() is { } bundled)
        {
            return LoadSelfContainedOrSplit(bundled, "bundled");
        }

        if (NativeLibrary.TryLoad(SystemVips, out var vips))
        {
            return new LoadedLibraries(vips, NativeLibrary.Load(SystemGObject), NativeLibrary.Load(SystemGLib), "system", SystemVips);
        }

        throw new DllNotFoundException(
            $"libvips was not found: run scripts/setup.sh (bundled build in {BundledRelativeDirectory}), install Debian's libvips42, or set {PathVariable}.");
    }

    // The npm build exports GLib/GObject itself; a system libvips needs the separate GLib libraries.
    private static LoadedLibraries LoadSelfContainedOrSplit(string path, string source)
    {
        var vips = NativeLibrary.Load(path);
        var selfContained = NativeLibrary.TryGetExport(vips, "g_object_unref", out _);
        return selfContained
            ? new LoadedLibraries(vips, vips, vips, source, path)
            : new LoadedLibraries(vips, NativeLibrary.Load(SystemGObject), NativeLibrary.Load(SystemGLib), source, path);
    }

    // Looks for .native/libvips/lib next to the application and in its parent folders (a repository checkout).
    private static string? FindBundled()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, BundledRelativeDirectory);
                if (!Directory.Exists(candidate))
                {
                    continue;
                }

                var file = Directory.EnumerateFiles(candidate, "libvips-cpp.so.*").Order(StringComparer.Ordinal).LastOrDefault();
                if (file is not null)
                {
                    return file;
                }
            }
        }

        return null;
    }

    private sealed record LoadedLibraries(nint Vips, nint GObject, nint GLib, string Source, string VipsPath);
}
