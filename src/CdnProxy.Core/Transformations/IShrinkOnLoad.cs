using CdnProxy.Core.Rendering;

namespace CdnProxy.Core.Transformations;

/// <summary>
/// A first step that can be merged into decoding (libvips' shrink-on-load), which is several times faster and
/// lighter than decoding at full size and resizing afterwards.
/// </summary>
public interface IShrinkOnLoad
{
    /// <summary>The size to decode to, given the upright source size, or null when this step cannot shrink on load.</summary>
    LoadTarget? PlanLoad(int sourceWidth, int sourceHeight, RenderContext context);
}
