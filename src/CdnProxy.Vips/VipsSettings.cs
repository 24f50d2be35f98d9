namespace CdnProxy.Vips;

/// <summary>Process-wide libvips settings, applied once by <see cref="VipsRuntime.Initialize"/>.</summary>
public sealed record VipsSettings
{
    /// <summary>libvips worker threads per image. Requests already run in parallel, so 1 is the server default.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Turns on libvips' leak tracking (for tests).</summary>
    public bool TrackLeaks { get; init; }

    /// <summary>
    /// Receives libvips' warnings (e.g. "error in tile …" while decoding a corrupt file) instead of stderr.
    /// They accompany failures that are already reported as exceptions, so a debug-level log is enough.
    /// </summary>
    public Action<string>? WarningSink { get; init; }
}
