namespace CdnProxy.Core.Transformations.Faces;

/// <summary>
/// Runs a face detector on a small luminance copy of an image and answers in that image's pixels. The copy bounds
/// the detector's cost: at most <see cref="MaxSide"/> px on its longest side (≈ 400 KB of grey pixels).
/// </summary>
public static class FaceSearch
{
    /// <summary>Longest side of the copy the detector sees; faces smaller than ~4 % of the image's longest side are not looked for.</summary>
    public const int MaxSide = 640;

    /// <summary>The faces in <paramref name="image"/> (sRGB or grey, 8-bit), in its pixels; the deadline is checked around the detection.</summary>
    public static IReadOnlyList<FaceBox> Find(VipsImage image, IFaceDetector detector, RenderDeadline? deadline)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(detector);
        deadline?.ThrowIfExpired();
        var shrink = Math.Min(1.0, (double)MaxSide / Math.Max(image.Width, image.Height));
        using var small = shrink < 1 ? image.Resize(shrink, NetVips.Enums.Kernel.Linear) : image.Copy();
        using var flat = small.HasAlpha() ? small.Flatten(background: [255]) : small.Copy();
        using var grey = flat.Bands >= 3 ? flat.Colourspace(NetVips.Enums.Interpretation.Bw) : flat.Copy();
        using var luminance = (grey.Bands > 1 ? grey.ExtractBand(0) : grey.Copy()).Cast(NetVips.Enums.BandFormat.Uchar);
        var faces = detector.Detect(luminance);
        deadline?.ThrowIfExpired();
        if (faces.Count == 0 || shrink >= 1)
        {
            return faces;
        }

        // Back to the image's pixels; the actual factor, since libvips rounds the small copy's sides.
        var back = (double)image.Width / luminance.Width;
        return [.. faces.Select(f => f.Scale(back))];
    }
}
