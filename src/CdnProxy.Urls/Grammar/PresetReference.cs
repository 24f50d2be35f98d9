namespace CdnProxy.Urls.Grammar;

/// <summary>
/// A reference to a saved preset, written <c>p:name</c>, <c>p:name()</c>, <c>p:name(k:v,...)</c> or
/// <c>p.apply(n:name,k:v,...)</c>; all four forms give this node, so the written form does not matter.
/// </summary>
/// <param name="Name">The preset name, e.g. <c>thumb</c>.</param>
/// <param name="Arguments">The variable arguments in the order written; for <c>p.apply</c>, without the <c>n</c> argument.</param>
/// <param name="Column">1-based column of the reference's first character (the <c>p</c>) inside the pattern segment.</param>
public sealed record PresetReference(string Name, IReadOnlyList<ArgumentSyntax> Arguments, int Column) : PatternElement(Column)
{
    /// <summary>The plugin identifier Pixelbin's SDKs report for a preset reference.</summary>
    public const string Plugin = "p";

    /// <summary>
    /// The reference in the SDKs' object shape, plugin <c>p</c> and the preset name as the operation name.
    /// An unexpanded preset therefore reaches a transformation binder as the unknown operation <c>p.name</c>.
    /// </summary>
    /// <returns>A call with the same name, arguments and column.</returns>
    public TransformationCall ToCall() => new(Plugin, Name, Arguments, Column);
}
