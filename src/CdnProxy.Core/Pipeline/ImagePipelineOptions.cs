using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Pipeline;

/// <summary>Request-level limits, bound from <c>CdnProxy:Limits</c>.</summary>
public sealed record ImagePipelineOptions
{
    /// <summary>Pattern length and operation-count caps, checked before parsing.</summary>
    public PatternLimits Pattern { get; init; } = PatternLimits.Default;

    /// <summary>Largest original accepted, in pixels, checked from its header before decoding.</summary>
    public long MaxSourcePixels { get; init; } = 100_000_000;

    /// <summary>Most frames an animated output may have; an animation with more gets a 422 (docs/operations.md, Animation).</summary>
    public int MaxFrames { get; init; } = 100;

    /// <summary>Most pixels of an animated output summed over all frames; a bigger source animation gets a 422.</summary>
    public long MaxAnimationPixels { get; init; } = 100_000_000;
}
