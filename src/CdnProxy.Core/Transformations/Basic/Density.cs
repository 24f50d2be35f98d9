using CdnProxy.Core.Rendering;
using CdnProxy.Vips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.density(d)</c>: sets the output's density (DPI) metadata, as sharp's <c>withMetadata({density})</c>; pixels
/// are untouched. The resolution is part of the image header, not of the EXIF/XMP/ICC metadata the encoder strips,
/// so it reaches PNG (pHYs) and TIFF output. A JPEG carries none: its saver, told to keep no metadata, writes no
/// JFIF segment at all. WebP, AVIF and GIF have no density field.
/// </summary>
public sealed record Density(int Dpi) : ITransformation<Density>, IStripSafe
{
    private const double MillimetresPerInch = 25.4;

    public static string Name => "t.density";

    public static Density Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Density(args.Whole("d", 300, 1, 10_000));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        var pixelsPerMillimetre = Dpi / MillimetresPerInch;
        return image.SetResolution(pixelsPerMillimetre, pixelsPerMillimetre);
    }
}
