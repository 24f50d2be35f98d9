namespace CdnProxy.Core.Transformations;

/// <summary>One operation of the catalogue, described by running its own binder (see <see cref="TransformationCatalog.Describe"/>).</summary>
/// <param name="Name">The name in URLs, e.g. <c>t.resize</c>.</param>
/// <param name="Arguments">Its arguments, in the order its binder reads them.</param>
/// <param name="Canonical">The canonical text of a call without arguments (every default filled in).</param>
/// <param name="SetsOutput">True for steps that set the output format or quality (not allowed in nested patterns).</param>
/// <param name="ReferencesFiles">True when the step can name other files of the cloud (they are fetched too).</param>
public sealed record OperationDescription(
    string Name,
    IReadOnlyList<ArgumentDescription> Arguments,
    string Canonical,
    bool SetsOutput,
    bool ReferencesFiles);
