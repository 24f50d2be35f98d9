using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// Turns a parsed pattern into a <see cref="RenderPlan"/> through the catalog, refusing output formats the engine
/// cannot encode. Pure: no I/O.
/// </summary>
public sealed class RenderPlanBinder
{
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

        return new RenderPlan(steps, output, string.Join("~", canonical));
    }
}
