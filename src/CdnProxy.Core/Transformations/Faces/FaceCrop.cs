namespace CdnProxy.Core.Transformations.Faces;

/// <summary>
/// <c>p:face</c> for cover crops: the crop is centred on the box holding every face found (kept inside the image);
/// with no face, libvips' smartcrop picks the region by attention (skin tones, saturation, edges).
/// </summary>
public static class FaceCrop
{
    /// <summary>
    /// Cuts <paramref name="width"/> × <paramref name="height"/> out of <paramref name="scaled"/>, the resampled
    /// <paramref name="source"/>; faces are looked for in <paramref name="source"/>, which has more pixels.
    /// </summary>
    public static VipsImage Cut(VipsImage source, VipsImage scaled, int width, int height, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scaled);
        ArgumentNullException.ThrowIfNull(context);
        var faces = FaceSearch.Find(source, context.Faces, context.Deadline);
        if (faces.Count == 0)
        {
            return scaled.Smartcrop(width, height, interesting: NetVips.Enums.Interesting.Attention);
        }

        var union = faces.Aggregate((a, b) => a.Union(b));
        double sx = (double)scaled.Width / source.Width, sy = (double)scaled.Height / source.Height;
        var left = Centre(((union.X + (union.Width / 2.0)) * sx) - (width / 2.0), scaled.Width - width);
        var top = Centre(((union.Y + (union.Height / 2.0)) * sy) - (height / 2.0), scaled.Height - height);
        return scaled.ExtractArea(left, top, width, height);
    }

    private static int Centre(double offset, int spare) => Math.Clamp((int)Math.Round(offset), 0, Math.Max(0, spare));
}
