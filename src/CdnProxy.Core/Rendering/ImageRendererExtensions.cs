using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Rendering;

/// <summary>Estimates and renders from bytes copied for the one call (a render that also estimates shares a <see cref="SourceImage"/>).</summary>
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
