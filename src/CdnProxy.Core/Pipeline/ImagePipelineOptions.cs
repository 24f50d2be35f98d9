using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Pipeline;

/// <summary>Request-level limits, bound from <c>CdnProxy:Limits</c>.</summary>
public sealed record ImagePipelineOptions
{
    /// <summary>Pattern length and operation-count caps, checked before parsing.</summary>
    public PatternLimits Pattern { get; set; } = new();

    /// <summary>Largest original accepted, in pixels, checked from its header before decoding.</summary>
    public long MaxSourcePixels { get; set; } = 100_000_000;

    /// <summary>Most frames an animated output may have; an animation with more gets a 422 (docs/operations.md, Animation).</summary>
    public int MaxFrames { get; set; } = 100;

    /// <summary>Most pixels of an animated output summed over all frames; a bigger source animation gets a 422.</summary>
    public long MaxAnimationPixels { get; set; } = 100_000_000;

    /// <summary>Largest AVIF/HEIF output, in pixels: their encoders cannot be stopped by the render deadline.</summary>
    public long MaxAvifPixels { get; set; } = 16_000_000;

    /// <summary>Largest GIF frame, in pixels: quantising a frame cannot be stopped by the render deadline.</summary>
    public long MaxGifFramePixels { get; set; } = 4_000_000;

    /// <summary>
    /// Longest one render may take; libvips is stopped inside its work when it runs out (503 <c>render_timeout</c>,
    /// nothing cached). <c>00:00:00</c> never stops a render.
    /// </summary>
    public TimeSpan RenderTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Memory all renders in flight may hold together, in bytes, as estimated from their planned pixel sizes; a render
    /// that does not fit waits for none: 503 with Retry-After (or 422 when it alone needs more). 0: no budget.
    /// </summary>
    public long RenderMemoryBytes { get; set; } = 512L * 1024 * 1024;
}
