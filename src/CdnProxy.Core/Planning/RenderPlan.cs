using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Planning;

/// <summary>A bound pattern: the steps in URL order, the output settings they imply, and the canonical text.</summary>
/// <param name="Transformations">Steps in URL order (repeats allowed).</param>
/// <param name="Output">Format and quality after every output step.</param>
/// <param name="Canonical">One string per meaning: sorted keys, defaults filled, numbers normalised.</param>
public sealed record RenderPlan(IReadOnlyList<Transformations.ITransformation> Transformations, OutputSettings Output, string Canonical)
{
    /// <summary>The files the steps read besides the original (merge images), each once.</summary>
    public IEnumerable<string> ReferencedFiles =>
        Transformations.OfType<IReferencesFiles>().SelectMany(step => step.ReferencedFiles).Distinct(StringComparer.Ordinal);
}
