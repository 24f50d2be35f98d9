using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Planning;

/// <summary>
/// Turns a parsed pattern into a <see cref="RenderPlan"/> through the catalog, refusing output formats the engine
/// cannot encode. Pure: no I/O.
/// </summary>
public sealed class RenderPlanBinder
{
    /// <summary>
    /// The most distinct files (merge images) one pattern may reference. Each costs origin requests (the exact path,
    /// then up to six extensions) before the render, so an unbounded number would let one URL fan out widely.
    /// </summary>
    public const int MaxReferencedFiles = 4;

    private readonly TransformationCatalog _catalog;
    private readonly EncoderCapabilities? _capabilities;

    /// <param name="catalog">The operations.</param>
    /// <param name="capabilities">What the engine encodes; null only where no engine runs (pure binding, e.g. unit tests).</param>
    public RenderPlanBinder(TransformationCatalog catalog, EncoderCapabilities? capabilities = null)
    {
        _catalog = catalog;
        _capabilities = capabilities;
    }

    public RenderPlan Bind(PatternSyntax pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.IsOriginal)
        {
            return new RenderPlan([], OutputSettings.SameAsSource, "original");
        }

        var steps = new List<ITransformation>(pattern.Calls.Count);
        var canonical = new List<string>(pattern.Calls.Count);
        var output = OutputSettings.SameAsSource;
        foreach (var call in pattern.Calls)
        {
            var (transformation, text) = _catalog.Bind(call);
            if (transformation is IOutputTransformation outputStep)
            {
                output = outputStep.Apply(output);
                if (_capabilities?.CanEncode(output.Format) == false)
                {
                    throw CdnException.InvalidArgument(
                        $"{call.QualifiedName}: 'f' {output.Format.ToString().ToLowerInvariant()} cannot be produced by this server's image engine");
                }
            }
            else
            {
                steps.Add(transformation);
            }

            canonical.Add(text);
        }

        var referenced = steps.OfType<IReferencesFiles>().SelectMany(step => step.ReferencedFiles).Distinct(StringComparer.Ordinal).Count();
        if (referenced > MaxReferencedFiles)
        {
            throw CdnException.InvalidArgument(
                $"t.merge: 'i' may name at most {MaxReferencedFiles} different images per pattern (this one names {referenced})");
        }

        return new RenderPlan(steps, output, string.Join("~", canonical));
    }
}
