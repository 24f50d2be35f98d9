using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Rendering;

/// <summary>Decodes a source, runs a plan and encodes the result.</summary>
public interface IImageRenderer
{
    /// <summary>
    /// Plans the render from the source's header alone, before it waits for a worker: what it would cost, or a
    /// <see cref="CdnException"/> when it must not run at all (unsupported format, a limit exceeded). Cheap: no pixel
    /// is decoded, so a bomb or an oversized plan is refused at once, whatever the queue holds.
    /// </summary>
    RenderCost Estimate(SourceImage source, RenderPlan plan, RenderContext context);

    /// <summary>Renders. Synchronous and CPU-bound: callers run it on the render gate's workers.</summary>
    RenderedImage Render(SourceImage source, RenderPlan plan, RenderContext context);
}
