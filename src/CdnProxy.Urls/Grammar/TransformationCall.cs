namespace CdnProxy.Urls.Grammar;

/// <summary>One syntactic <c>plugin.name(k:v,...)</c> call, before any semantic check.</summary>
/// <param name="Plugin">The plugin identifier, e.g. <c>t</c>.</param>
/// <param name="Name">The operation name, e.g. <c>resize</c>.</param>
/// <param name="Arguments">The arguments in the order written.</param>
/// <param name="Column">1-based column of the call's first character inside the pattern segment.</param>
public sealed record TransformationCall(string Plugin, string Name, IReadOnlyList<ArgumentSyntax> Arguments, int Column)
    : PatternElement(Column)
{
    /// <summary>The dotted name used by the catalog, e.g. <c>t.resize</c>.</summary>
    public string QualifiedName => Plugin + "." + Name;
}
