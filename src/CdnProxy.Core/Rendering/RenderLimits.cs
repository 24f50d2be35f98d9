namespace CdnProxy.Core.Rendering;

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
    /// The factor (≤ 1) by which an image of <paramref name="width"/> × <paramref name="height"/> must shrink to
    /// respect the output limits.
    /// </summary>
    public double OutputScale(double width, double height)
    {
        var scale = Math.Min(1.0, MaxOutputSide / Math.Max(width, height));
        var area = width * height * scale * scale;
        return area > MaxOutputPixels ? scale * Math.Sqrt(MaxOutputPixels / area) : scale;
    }
}
