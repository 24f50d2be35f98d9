namespace CdnProxy.Core.Rendering;

/// <summary>How the result is encoded.</summary>
/// <param name="Format">The format, or <see cref="OutputFormat.Source"/>.</param>
/// <param name="Quality">1–100, or null for the format's default.</param>
public sealed record OutputSettings(OutputFormat Format, int? Quality)
{
    /// <summary>Same format as the source, default quality.</summary>
    public static OutputSettings SameAsSource { get; } = new(OutputFormat.Source, null);

    /// <summary>The canonical text used in cache keys, e.g. <c>jpeg:80</c> or <c>source:default</c>.</summary>
    public string ToCanonicalString() =>
        Format.ToString().ToLowerInvariant() + ":" + (Quality?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default");
}
