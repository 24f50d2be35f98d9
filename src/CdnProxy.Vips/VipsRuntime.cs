using System.Runtime.InteropServices;
using NetVips;

namespace CdnProxy.Vips;

/// <summary>Starts libvips once per process with server-safe settings, and reports what was loaded.</summary>
public static class VipsRuntime
{
    // Only loaders for web image formats may run; everything else (matload, fitsload, vips native, magick, ...) stays blocked.
    internal static readonly string[] AllowedLoaders =
    [
        "VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp", "VipsForeignLoadNsgif",
        "VipsForeignLoadGif", "VipsForeignLoadHeif", "VipsForeignLoadTiff", "VipsForeignLoadSvg",
    ];

    private static readonly Lock Gate = new();
    private static VipsRuntimeInfo? _info;
    private static Action<string>? _warningSink;

    /// <summary>What was loaded; null before <see cref="Initialize"/>.</summary>
    public static VipsRuntimeInfo? Info => _info;

    /// <summary>
    /// Starts libvips (see <see cref="VipsLibrary"/> for which one): operation cache off, the given concurrency,
    /// untrusted loaders blocked. Later calls return the first result.
    /// </summary>
    public static VipsRuntimeInfo Initialize(VipsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (Gate)
        {
            if (_info is not null)
            {
                return _info;
            }

            if (!ModuleInitializer.VipsInitialized)
            {
                throw new VipsException("libvips could not be loaded or started", ModuleInitializer.Exception);
            }

            _warningSink = settings.WarningSink ?? (_ => { });
            Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Message | Enums.LogLevelFlags.Info | Enums.LogLevelFlags.Warning | Enums.LogLevelFlags.Debug,
                static (_, _, message) => _warningSink?.Invoke(message));
            NetVips.NetVips.Leak = settings.TrackLeaks;

            // The operation cache keeps input buffers alive and never hits for buffer inputs.
            Cache.Max = 0;
            Cache.MaxMem = 0;
            Cache.MaxFiles = 0;
            NetVips.NetVips.Concurrency = Math.Max(1, settings.Concurrency);

            var version = new Version(NetVips.NetVips.Version(0), NetVips.NetVips.Version(1), NetVips.NetVips.Version(2));
            BlockUntrustedLoaders(version);

            var path = VipsLibrary.LoadedPath();
            _info = new VipsRuntimeInfo(version, VipsLibrary.SourceOf(path), path ?? "unknown", Math.Max(1, settings.Concurrency))
            {
                HeifCompressions = ProbeHeifCompressions(),
            };
            return _info;
        }
    }

    /// <summary>Threads libvips runs per image from now on (renders already in flight keep theirs).</summary>
    public static int Concurrency
    {
        get => NetVips.NetVips.Concurrency;
        set => NetVips.NetVips.Concurrency = Math.Max(1, value);
    }

    /// <summary>Encodes an 8×8 image with each HEIF compression and keeps those that work.</summary>
    private static string[] ProbeHeifCompressions()
    {
        using var image = Image.Black(8, 8, bands: 3);
        var working = new List<string>();
        foreach (var (name, compression) in (ReadOnlySpan<(string, Enums.ForeignHeifCompression)>)
            [("av1", Enums.ForeignHeifCompression.Av1), ("hevc", Enums.ForeignHeifCompression.Hevc)])
        {
            try
            {
                image.SaveToBuffer("heifsave_buffer", new SaveOptions().Add("compression", compression).AddIfSupported("effort", 0));
                working.Add(name);
            }
            catch (VipsException)
            {
                // Not built in: this compression is simply not offered.
            }
        }

        return [.. working];
    }

    private static void BlockUntrustedLoaders(Version version)
    {
        if (version < new Version(8, 13))
        {
            throw new VipsException($"libvips {version} is too old: 8.13 or newer is needed to block untrusted loaders");
        }

        NetVips.NetVips.BlockUntrusted = true;
        Operation.Block("VipsForeignLoad", true);
        foreach (var loader in AllowedLoaders)
        {
            Operation.Block(loader, false);
        }
    }

    /// <summary>A tiny end-to-end check for readiness: make an 8×8 image and encode it as PNG.</summary>
    public static bool Probe()
    {
        using var image = Image.Black(8, 8);
        return image.SaveToBuffer("pngsave_buffer").Length > 0;
    }

    /// <summary>
    /// True when <paramref name="loader"/> (a class name such as <c>VipsForeignLoadJpegBuffer</c> or a nickname such
    /// as <c>jpegload_buffer</c>) is one of the web-format loaders. Older libvips (8.14) still reports blocked loaders
    /// from <c>vips_foreign_find_load_buffer</c>, so the allow-list is checked here as well.
    /// </summary>
    public static bool IsAllowedLoader(string loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        foreach (var allowed in AllowedLoaders)
        {
            var format = allowed["VipsForeignLoad".Length..];
            if (loader.StartsWith(allowed, StringComparison.Ordinal)
                || loader.StartsWith(format.ToLowerInvariant() + "load", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The GObject type names of the libvips objects still alive (e.g. <c>VipsImage</c>, <c>VipsForeignLoadJpegBuffer</c>;
    /// none when nothing leaked and nothing is in use), for a leak test to say what it found. NetVips has no call for it,
    /// so <c>vips_object_map</c> is found in the library NetVips loaded.
    /// </summary>
    public static unsafe IReadOnlyList<string> LiveObjectTypes()
    {
        var map = (delegate* unmanaged<delegate* unmanaged<nint, nint, nint, nint>, nint, nint, nint>)
            NativeLibrary.GetExport(VipsLibrary.Handle(), "vips_object_map");
        var types = new List<nint>();
        var handle = GCHandle.Alloc(types);
        try
        {
            map(&CollectType, GCHandle.ToIntPtr(handle), 0);
        }
        finally
        {
            handle.Free();
        }

        return [.. types.Select(type => NetVips.NetVips.TypeName(type))];
    }

    /// <summary>Bytes currently allocated by libvips' tracked allocator (pixel buffers).</summary>
    public static long TrackedMemory => (long)Stats.Mem;

    /// <summary>The most bytes libvips' tracked allocator has held at once since start-up.</summary>
    public static long TrackedMemoryHighWater => (long)Stats.MemHighwater;

    // A GObject instance starts with its class pointer, and a class with its GType.
    [UnmanagedCallersOnly]
    private static unsafe nint CollectType(nint vipsObject, nint types, nint unused)
    {
        ((List<nint>)GCHandle.FromIntPtr(types).Target!).Add(**(nint**)vipsObject);
        return 0;
    }
}
