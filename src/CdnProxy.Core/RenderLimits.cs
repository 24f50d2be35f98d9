using System.Globalization;

namespace CdnProxy.Core;

/// <summary>Size limits applied to sources and to every step's result.</summary>
public sealed record RenderLimits
{
    /// <summary>Largest source accepted, in pixels (checked from the header, before decoding).</summary>
    public long MaxSourcePixels { get; init; } = 100_000_000;

    /// <summary>Largest output side; bigger results are scaled down to fit (Pixelbin: 10000).</summary>
    public int MaxOutputSide { get; init; } = 10_000;

    /// <summary>Largest output area; bigger results are scaled down to fit (Pixelbin: 40 MP).</summary>
    public long MaxOutputPixels { get; init; } = 40_000_000;

    /// <summary>
    /// Largest AVIF/HEIF output in pixels. Their encoders run outside libvips' reach, so the render deadline cannot
    /// stop them; the cap keeps one encode well inside it (16 MP: 1.8 s at effort 1 on one core).
    /// </summary>
    public long MaxAvifPixels { get; init; } = 16_000_000;

    /// <summary>
    /// Largest GIF frame in pixels, for the same reason: quantising a frame cannot be interrupted, and its cost grows
    /// faster than its size (4 MP: 1.8 s; 16 MP: 28 s).
    /// </summary>
    public long MaxGifFramePixels { get; init; } = 4_000_000;

    /// <summary>Most frames an animated output may have (checked from the source's header, before decoding).</summary>
    public int MaxFrames { get; init; } = 100;

    /// <summary>Most pixels an animation may have summed over all its frames (source, and every step's result).</summary>
    public long MaxAnimationPixels { get; init; } = 100_000_000;

    /// <summary>
    /// The factor (≤ 1) by which an image of <paramref name="width"/> × <paramref name="height"/> must shrink to
    /// respect the output limits. For an animation the size is one frame's, and <paramref name="frames"/> frames
    /// together must also stay within <see cref="MaxAnimationPixels"/>.
    /// </summary>
    public double OutputScale(double width, double height, int frames = 1)
    {
        var scale = Math.Min(1.0, MaxOutputSide / Math.Max(width, height));
        var area = width * height * scale * scale;
        scale = area > MaxOutputPixels ? scale * Math.Sqrt(MaxOutputPixels / area) : scale;
        var total = width * height * scale * scale * frames;
        return frames > 1 && total > MaxAnimationPixels ? scale * Math.Sqrt(MaxAnimationPixels / total) : scale;
    }

    /// <summary>
    /// Throws <see cref="CdnErrorKind.LimitExceeded"/> when an animation of <paramref name="frames"/> frames of
    /// <paramref name="frameWidth"/> × <paramref name="frameHeight"/> is over <see cref="MaxFrames"/> or <see cref="MaxAnimationPixels"/>.
    /// </summary>
    public void CheckAnimation(int frameWidth, int frameHeight, int frames)
    {
        if (frames > MaxFrames)
        {
            throw new CdnException(CdnErrorKind.LimitExceeded, string.Create(
                CultureInfo.InvariantCulture,
                $"The animation has {frames} frames; this server animates at most {MaxFrames} (ask for a still format such as t.toFormat(f:jpeg) to get the first frame)"));
        }

        if ((long)frameWidth * frameHeight * frames > MaxAnimationPixels)
        {
            throw new CdnException(CdnErrorKind.LimitExceeded, string.Create(
                CultureInfo.InvariantCulture,
                $"The animation has {(long)frameWidth * frameHeight * frames / 1_000_000.0:0.#} MP over all frames; this server animates at most {MaxAnimationPixels / 1_000_000.0:0.#} MP"));
        }
    }
}
