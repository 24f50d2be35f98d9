using CdnProxy.Core.Transformations;
using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// Opens a source as its <see cref="SourceOpening"/> says: the first page upright (shrunk on load when planned), or
/// every frame as one strip. Every image it opens is watched by the render's deadline before anything is built on it.
/// </summary>
internal static class SourceLoader
{
    /// <summary>Opens the source; <paramref name="header"/> is the lazily opened source the decision was made from.</summary>
    public static LoadedSource Open(SourceImage source, VipsImage header, SourceOpening opening, RenderDeadline deadline)
    {
        if (opening.Animated)
        {
            return OpenAnimation(source, header, opening, deadline);
        }

        if (opening.Shrink > 1)
        {
            using var shrunk = VipsLoader.LoadShrunk(opening.Loader, source.Copy, opening.Shrink, opening.Sequential);
            deadline.Watch(shrunk);
            return new LoadedSource(Upright(shrunk), null, IsComputed(opening));
        }

        if (opening.Sequential)
        {
            using var streamed = VipsLoader.LoadShrunk(opening.Loader, source.Copy, shrink: 1, sequential: true);
            deadline.Watch(streamed);
            return new LoadedSource(Upright(streamed), null, Computed: false);
        }

        deadline.Watch(header);
        return new LoadedSource(Upright(header), null, IsComputed(opening));
    }

    /// <summary>A new reference to the image turned upright by its EXIF orientation (the tag removed).</summary>
    public static VipsImage Upright(VipsImage image) =>
        image.GetInt("orientation") is null or 1 ? image.Copy() : image.Autorot();

    // A random-access decode computes the whole image once, on first read; turning it upright makes it lazy again.
    private static bool IsComputed(SourceOpening opening) => !opening.Sequential && !opening.Turns;

    /// <summary>
    /// Every frame, as one strip, decoded once into memory (bounded by the frame cap): the per-frame steps read the
    /// frames out of order, and the GIF decoder would otherwise decode the strip again for each of them. No
    /// shrink-on-load: the first resize runs on each frame, so its kernel never mixes neighbouring frames' rows.
    /// </summary>
    private static LoadedSource OpenAnimation(SourceImage source, VipsImage header, SourceOpening opening, RenderDeadline deadline)
    {
        using var lazy = VipsLoader.Load(opening.Loader, source.Copy, allPages: true);
        deadline.Watch(lazy);
        var strip = RenderDeadline.InMemory(lazy, deadline);
        var animation = Animation.Of(strip);
        if (animation is null)
        {
            // Pages of unequal heights make no animation: the first page only, never the whole strip as one tall image.
            strip.Dispose();
            deadline.Watch(header);
            return new LoadedSource(Upright(header), null, Computed: false);
        }

        if (!opening.Turns)
        {
            return new LoadedSource(strip, animation, Computed: true);
        }

        using (strip)
        {
            return new LoadedSource(animation.EachFrame(strip, deadline, Upright), animation, Computed: true);
        }
    }
}

/// <summary>An opened source.</summary>
/// <param name="Image">Upright, not yet converted to sRGB.</param>
/// <param name="Animation">The frames' layout when the output keeps the animation.</param>
/// <param name="Computed">True when reading its pixels in any order computes each of them once.</param>
internal sealed record LoadedSource(VipsImage Image, Animation? Animation, bool Computed);
