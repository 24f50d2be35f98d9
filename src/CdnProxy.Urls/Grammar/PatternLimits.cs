namespace CdnProxy.Urls.Grammar;

/// <summary>Cheap limits checked before a pattern is parsed, so hostile input never reaches the grammar.</summary>
public sealed record PatternLimits
{
    /// <summary>
    /// The limits used when none are configured: 2048 characters and 15 calls. A new object each time: configuration
    /// binds into the object it is given, and must never change another user's defaults.
    /// </summary>
    public static PatternLimits Default => new();

    /// <summary>The longest pattern segment accepted, in characters.</summary>
    public int MaxLength { get; set; } = 2048;

    /// <summary>The most transformation calls accepted in one <c>~</c>-chain (Pixelbin allows 15 per preset).</summary>
    public int MaxCalls { get; set; } = 15;
}
