namespace CdnProxy.Core.Transformations.Faces;

/// <summary>
/// Runs a face detector on a small luminance copy of an image (sRGB for a detector whose <see cref="IFaceDetector.Input"/>
/// asks for colour) and answers in that image's pixels. The copy bounds the detector's cost: at most
/// <see cref="MaxSide"/> px on its longest side (≈ 400 KB of grey pixels, 1.2 MB of colour).
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
        using var searched = detector.Input == FaceSearchInput.Srgb ? Colour(flat) : Luminance(flat);
        var faces = detector.Detect(searched, deadline);
        deadline?.ThrowIfExpired();
        if (faces.Count == 0 || shrink >= 1)
        {
            return faces;
        }

        // Back to the image's pixels; the actual factor, since libvips rounds the small copy's sides.
        var back = (double)image.Width / searched.Width;
        return [.. faces.Select(f => f.Scale(back))];
    }

    private static VipsImage Luminance(VipsImage flat)
    {
        using var grey = flat.Bands >= 3 ? flat.Colourspace(NetVips.Enums.Interpretation.Bw) : flat.Copy();
        using var band = grey.Bands > 1 ? grey.ExtractBand(0) : grey.Copy();
        return band.Cast(NetVips.Enums.BandFormat.Uchar);
    }

    private static VipsImage Colour(VipsImage flat)
    {
        using var srgb = flat.Colourspace(NetVips.Enums.Interpretation.Srgb);
        using var bands = srgb.Bands > 3 ? srgb.ExtractBand(0, 3) : srgb.Copy();
        return bands.Cast(NetVips.Enums.BandFormat.Uchar);
    }
}
