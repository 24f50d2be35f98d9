using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// Which steps read an input computed once in memory instead of the lazy chain before them: a step that reads out of
/// order (from a streamed decoder it would fail; from a lazy chain every earlier step would run again for each of
/// its reads), and a windowed step (blur, median, sharpen) over earlier windowed steps reaching, together with it,
/// more than <see cref="MaxStackedRadius"/> pixels: libvips computes a window's input tile by tile with a margin, so
/// stacked wide windows recompute the earlier ones over and over (two <c>t.blur(s:100)</c> on 3 MP: 5.3 s lazily
/// against 0.37 s for one). One rule for the renderer and the plan's memory estimate, so the estimate counts the
/// copies the render makes. Animations are left alone: each of their steps is computed frame by frame already.
/// </summary>
public sealed class ComputedInputs
{
    /// <summary>Stacked windows reaching this far or less cost less to recompute than to copy.</summary>
    public const int MaxStackedRadius = 8;

    private readonly bool _animated;
    private bool _computed;
    private long _pendingRadius;

    /// <param name="sourceComputed">True when the image the steps start from is already in memory.</param>
    /// <param name="animated">True for an animation (its steps compute every frame).</param>
    public ComputedInputs(bool sourceComputed, bool animated)
    {
        _computed = sourceComputed;
        _animated = animated;
    }

    /// <summary>
    /// Called before <paramref name="step"/> runs on an input of size <paramref name="input"/>: true when that input
    /// must be computed in memory first (and the caller does so).
    /// </summary>
    public bool Before(ITransformation step, ImageSize input, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (_animated || _computed)
        {
            return false;
        }

        var radius = step.WindowRadius(input, context);
        var needed = step.ReadsInputOutOfOrder
            || (radius > 0 && _pendingRadius > 0 && radius + _pendingRadius > MaxStackedRadius);
        if (needed)
        {
            _computed = true;
            _pendingRadius = 0;
        }

        return needed;
    }

    /// <summary>
    /// Called after <paramref name="step"/> ran on an input of size <paramref name="input"/>; <paramref name="unchanged"/>
    /// when it handed its input back (the input stays as computed as it was).
    /// </summary>
    public void After(ITransformation step, ImageSize input, RenderContext context, bool unchanged)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (!unchanged)
        {
            _computed = false;
            _pendingRadius += step.WindowRadius(input, context);
        }
    }
}
