using System.Text.Json.Serialization;

namespace CdnProxy.Core.Transformations;

/// <summary>
/// One argument of an operation as its binder reads it: recorded by <see cref="ArgumentReader"/> in its describing
/// mode, so it cannot drift from what binding accepts.
/// </summary>
/// <param name="Key">The key in URLs, e.g. <c>w</c>.</param>
/// <param name="Kind">What the value holds (<c>type</c> in JSON).</param>
public sealed record ArgumentDescription(string Key, [property: JsonPropertyName("type")] ArgumentKind Kind)
{
    /// <summary>The value used when the key is absent, in canonical form; null when absent means "none".</summary>
    public string? Default { get; init; }

    /// <summary>The smallest accepted number (integer, number, quality).</summary>
    public double? Min { get; init; }

    /// <summary>The largest accepted number (integer, number, quality).</summary>
    public double? Max { get; init; }

    /// <summary>For angles: the value is reduced modulo this into <c>[0, Modulo)</c> (e.g. 360).</summary>
    public int? Modulo { get; init; }

    /// <summary>For choices: the canonical tokens, in the binder's order.</summary>
    public IReadOnlyList<string>? Choices { get; init; }

    /// <summary>For choices: other accepted spellings and the canonical token each means (e.g. <c>jpg</c> → <c>jpeg</c>).</summary>
    public IReadOnlyDictionary<string, string>? Aliases { get; init; }

    /// <summary>For qualities: the named levels and the number each means.</summary>
    public IReadOnlyDictionary<string, int>? Words { get; init; }
}
