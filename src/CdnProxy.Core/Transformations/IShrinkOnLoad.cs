namespace CdnProxy.Core.Transformations;

/// <summary>
/// A first step that lets decoding do part of its work: JPEG and WebP decode at 1/2, 1/4 or 1/8 of their size,
/// several times faster and lighter than decoding at full size and resampling all of it afterwards (sharp's fast
/// shrink-on-load).
/// </summary>
public interface IShrinkOnLoad : ITransformation
{
    /// <summary>The size this step resamples the upright source to, or null when it does not resample it.</summary>
    LoadTarget? PlanLoad(int sourceWidth, int sourceHeight, RenderContext context);

    /// <summary>
    /// Applies the step to the source decoded at a fraction of its upright size <paramref name="sourceWidth"/> ×
    /// <paramref name="sourceHeight"/>: sizes are planned from the source's, and the rest of the reduction is
    /// resampled from <paramref name="image"/>, so the result equals <see cref="ITransformation.Apply"/> on the
    /// full-size source up to resampling.
    /// </summary>
    VipsImage ApplyShrunk(VipsImage image, int sourceWidth, int sourceHeight, RenderContext context);
}
