using CdnProxy.Core.Transformations;
using CdnProxy.Vips;

namespace CdnProxy.Core.Planning;

/// <summary>
/// What the image engine can encode, decided once at start-up from the probe in <see cref="VipsRuntimeInfo"/>, so
/// a request for a format the engine lacks is refused with a 400 before any I/O instead of failing per render.
/// </summary>
/// <param name="HeifCompressions">The HEIF codecs libheif can encode here (<c>av1</c>, <c>hevc</c>).</param>
public sealed record EncoderCapabilities(IReadOnlyList<string> HeifCompressions)
{
    /// <summary>
    /// The codec <c>f:heif</c> uses: HEVC (classic HEIC, as cameras write) when the engine has an HEVC encoder,
    /// otherwise AV1 in the same HEIF container (what sharp's <c>heif()</c> writes by default), which is an AVIF file.
    /// Null when neither is available.
    /// </summary>
    public string? HeifCompression =>
        HeifCompressions.Contains("hevc") ? "hevc" : HeifCompressions.Contains("av1") ? "av1" : null;

    /// <summary>The capabilities of the libvips this process started (it must be initialised).</summary>
    public static EncoderCapabilities FromRuntime() =>
        FromRuntime(VipsRuntime.Info ?? throw new InvalidOperationException("libvips is not initialised"));

    /// <summary>The capabilities recorded in <paramref name="info"/>.</summary>
    public static EncoderCapabilities FromRuntime(VipsRuntimeInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new EncoderCapabilities(info.HeifCompressions);
    }

    /// <summary>True when <paramref name="format"/> can be produced (<see cref="OutputFormat.Source"/> always can).</summary>
    public bool CanEncode(OutputFormat format) => format switch
    {
        OutputFormat.Avif => HeifCompressions.Contains("av1"),
        OutputFormat.Heif => HeifCompression is not null,
        _ => true,
    };
}
