using CdnProxy.Core.Planning;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;

namespace CdnProxy.Tests.Common;

/// <summary>
/// Tests estimate and render from bytes, copied for the one call (the pipeline shares one <see cref="SourceImage"/>
/// between its estimate and its render).
/// </summary>
public static class ImageRendererExtensions
{
    /// <inheritdoc cref="IImageRenderer.Estimate"/>
    public static RenderCost Estimate(this IImageRenderer renderer, ReadOnlySpan<byte> source, RenderPlan plan, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        using var image = new SourceImage(source);
        return renderer.Estimate(image, plan, context);
    }

    /// <inheritdoc cref="IImageRenderer.Render"/>
    public static RenderedImage Render(this IImageRenderer renderer, ReadOnlySpan<byte> source, RenderPlan plan, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        using var image = new SourceImage(source);
        return renderer.Render(image, plan, context);
    }
}
