using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Rendering;

/// <summary>Decodes a source, runs a plan and encodes the result. Synchronous and CPU-bound: callers run it inside the render gate.</summary>
public interface IImageRenderer
{
    RenderedImage Render(ReadOnlySpan<byte> source, RenderPlan plan, RenderContext context);
}
