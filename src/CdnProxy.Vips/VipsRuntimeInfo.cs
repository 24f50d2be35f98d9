namespace CdnProxy.Vips;

/// <summary>The libvips the process runs on.</summary>
/// <param name="Version">libvips version, e.g. 8.18.7.</param>
/// <param name="Source">bundled (NetVips.Native's, next to the application) or system (the OS's, e.g. Debian libvips42).</param>
/// <param name="LibraryPath">The shared library that was loaded.</param>
/// <param name="Concurrency">Threads per image.</param>
public sealed record VipsRuntimeInfo(Version Version, string Source, string LibraryPath, int Concurrency)
{
    /// <summary>
    /// The HEIF compressions (<c>av1</c>, <c>hevc</c>) this build can encode, probed once at start-up: libheif's
    /// encoders are plug-ins, and the bundled build ships AV1 (aom) but no HEVC (x265).
    /// </summary>
    public IReadOnlyList<string> HeifCompressions { get; init; } = [];
}
