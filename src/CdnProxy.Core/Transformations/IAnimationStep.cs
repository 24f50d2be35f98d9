namespace CdnProxy.Core.Transformations;

/// <summary>
/// A step that knows how to treat an animation's frames itself. Steps without it run on each frame separately
/// (<see cref="Animation.EachFrame"/>), which is always correct; this interface is for steps that must see every
/// frame at once (one trim box for all frames) or that can safely run once on the whole strip (<see cref="IStripSafe"/>).
/// </summary>
public interface IAnimationStep : ITransformation
{
    /// <summary>Applies the step to <paramref name="strip"/>, the frames of <paramref name="animation"/> stacked vertically.</summary>
    /// <returns>A new strip with the animation's layout (the caller disposes the input).</returns>
    VipsImage ApplyToAnimation(VipsImage strip, Animation animation, RenderContext context);
}

/// <summary>
/// A step that never moves pixels between rows, never reads neighbouring rows and keeps the height (colour
/// changes, left-right mirroring, metadata), so it runs once on an animation's whole strip instead of per frame.
/// Statistics it takes (e.g. normalise's percentiles) then cover all frames, which keeps the frames consistent.
/// </summary>
public interface IStripSafe : IAnimationStep
{
    VipsImage IAnimationStep.ApplyToAnimation(VipsImage strip, Animation animation, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(animation);
        var result = Apply(strip, context);
        using (ReferenceEquals(result, strip) ? null : result)
        {
            return animation.Restate(result);
        }
    }
}
