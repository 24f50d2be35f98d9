using CdnProxy.Vips.Native;

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
    // GLib's message, info and warning levels; errors and criticals stay with GLib (they may be fatal).
    private const int RoutedLogLevels = (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7);

    private static VipsRuntimeInfo? _info;
    private static Action<string>? _warningSink;

    /// <summary>What was loaded; null before <see cref="Initialize"/>.</summary>
    public static VipsRuntimeInfo? Info => _info;

    /// <summary>
    /// Loads and starts libvips: operation cache off, the given concurrency, untrusted loaders blocked.
    /// Later calls return the first result (settings apply once per process).
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

            if (LibVips.vips_init("cdnproxy") != 0)
            {
                throw VipsException.FromErrorBuffer("vips_init failed");
            }

            GTypes.Load();
            RouteWarnings(settings.WarningSink);
            if (settings.TrackLeaks)
            {
                LibVips.vips_leak_set(1);
            }

            // The operation cache keeps input buffers alive and never hits for buffer inputs.
            LibVips.vips_cache_set_max(0);
            LibVips.vips_cache_set_max_mem(0);
            LibVips.vips_cache_set_max_files(0);
            LibVips.vips_concurrency_set(Math.Max(1, settings.Concurrency));

            var version = new Version(LibVips.vips_version(0), LibVips.vips_version(1), LibVips.vips_version(2));
            BlockUntrustedLoaders(version);

            var (source, path) = NativeLibraryResolver.Description ?? ("unknown", "unknown");
            _info = new VipsRuntimeInfo(version, source, path, Math.Max(1, settings.Concurrency))
            {
                HeifCompressions = ProbeHeifCompressions(),
            };
            return _info;
        }
    }

    /// <summary>Encodes an 8×8 image with each HEIF compression and keeps those that work.</summary>
    private static string[] ProbeHeifCompressions()
    {
        using var call = VipsCall.Create("black").Set("width", 8).Set("height", 8).Set("bands", 3).Invoke();
        using var image = call.GetImage("out");
        var working = new List<string>();
        foreach (var compression in (string[])["av1", "hevc"])
        {
            try
            {
                image.SaveToBuffer("heifsave_buffer", c => c.Set("compression", compression).SetIfPresent("effort", 0));
                working.Add(compression);
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

        LibVips.vips_block_untrusted_set(1);
        LibVips.vips_operation_block_set("VipsForeignLoad", 1);
        foreach (var loader in AllowedLoaders)
        {
            LibVips.vips_operation_block_set(loader, 0);
        }

        VipsException.TakeErrorBuffer();
    }

    private static unsafe void RouteWarnings(Action<string>? sink)
    {
        _warningSink = sink ?? (_ => { });
        LibGLib.g_log_set_handler("VIPS", RoutedLogLevels, &OnLog, 0);
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static void OnLog(nint domain, int level, nint message, nint userData)
    {
        var text = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(message);
        if (text is not null)
        {
            _warningSink?.Invoke(text);
        }
    }

    /// <summary>
    /// Frees the calling thread's libvips buffers. Renders run on pooled threads that live long, so without this
    /// each thread would keep the buffers of its last render.
    /// </summary>
    public static void ReleaseThreadResources() => LibVips.vips_thread_shutdown();

    /// <summary>A tiny end-to-end check for readiness: make an 8×8 image and encode it as PNG.</summary>
    public static bool Probe()
    {
        using var call = VipsCall.Create("black").Set("width", 8).Set("height", 8).Invoke();
        using var image = call.GetImage("out");
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

    /// <summary>Counts libvips objects still alive in the process (0 when nothing leaked and nothing is in use).</summary>
    public static unsafe int CountLiveObjects()
    {
        var count = 0;
        LibVips.vips_object_map(&CountOne, (nint)(&count), 0);
        return count;
    }

    /// <summary>Bytes currently allocated by libvips' tracked allocator (pixel buffers).</summary>
    public static long TrackedMemory => LibVips.vips_tracked_get_mem();

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static unsafe nint CountOne(nint vipsObject, nint counter, nint unused)
    {
        (*(int*)counter)++;
        return 0;
    }
}
