namespace CdnProxy.Core.Transformations;

/// <summary>How the result is encoded.</summary>
/// <param name="Format">The format, or <see cref="OutputFormat.Source"/>.</param>
/// <param name="Quality">1–100, or null for the format's default.</param>
public sealed record OutputSettings(OutputFormat Format, int? Quality)
{
    /// <summary>Same format as the source, default quality.</summary>
    public static OutputSettings SameAsSource { get; } = new(OutputFormat.Source, null);

    /// <summary>
    /// For an animated source when <see cref="Format"/> cannot animate: the format to use instead (set by
    /// <c>f_auto</c>); null encodes the first frame in <see cref="Format"/>. See <see cref="Animation.ChooseOutput"/>.
    /// </summary>
    public OutputFormat? AnimatedFormat { get; init; }

    /// <summary>The canonical text used in cache keys, e.g. <c>jpeg:80</c>, <c>source:default</c> or <c>avif:default:animated=webp</c>.</summary>
    public string ToCanonicalString() =>
        Format.ToString().ToLowerInvariant() + ":" + (Quality?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default")
        + (AnimatedFormat is { } animated ? ":animated=" + animated.ToString().ToLowerInvariant() : string.Empty);
}
