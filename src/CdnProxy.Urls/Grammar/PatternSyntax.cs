namespace CdnProxy.Urls.Grammar;

/// <summary>The parsed pattern segment: <c>original</c> (no calls) or an ordered chain of transformation calls.</summary>
/// <param name="Calls">The calls in URL order; repeats are allowed and meaningful.</param>
public sealed record PatternSyntax(IReadOnlyList<TransformationCall> Calls)
{
    /// <summary>The pattern <c>original</c>: no transformation.</summary>
    public static PatternSyntax Original { get; } = new PatternSyntax([]);

    /// <summary>True when the pattern is <c>original</c>.</summary>
    public bool IsOriginal => Calls.Count == 0;
}
