using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Rendering;

/// <summary>Turns a parsed pattern into a <see cref="RenderPlan"/> through the catalog. Pure: no I/O.</summary>
public sealed class RenderPlanBinder
{
    private readonly TransformationCatalog _catalog;

    public RenderPlanBinder(TransformationCatalog catalog)
    {
        _catalog = catalog;
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
