using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;
using CdnProxy.Core.Rendering;

namespace CdnProxy.Tests.Common;

/// <summary>Wraps a real renderer and counts renders (and can fail on demand), to prove what was or was not rendered.</summary>
public sealed class CountingImageRenderer : IImageRenderer
{
    private readonly IImageRenderer _inner;
    private int _renders;

    public CountingImageRenderer(IImageRenderer inner)
    {
        _inner = inner;
    }

    public int Renders => Volatile.Read(ref _renders);

    /// <summary>The referenced file ids (merge images) the last render was handed, already fetched.</summary>
    public IReadOnlyList<string> LastReferencedFiles { get; private set; } = [];

    public RenderCost Estimate(SourceImage source, RenderPlan plan, RenderContext context) =>
        _inner.Estimate(source, plan, context);

    public RenderedImage Render(SourceImage source, RenderPlan plan, RenderContext context)
    {
        Interlocked.Increment(ref _renders);
        LastReferencedFiles = [.. context.Files.FileIds];
        return _inner.Render(source, plan, context);
    }
}
