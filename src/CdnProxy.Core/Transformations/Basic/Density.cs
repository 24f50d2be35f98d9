namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.density(d)</c>: sets the output's density (DPI) metadata, as sharp's <c>withMetadata({density})</c>; pixels
/// are untouched. The resolution is part of the image header, not of the EXIF/XMP/ICC metadata the encoder strips,
/// so it reaches every format with a density field: PNG (pHYs), TIFF, BMP (pixels per metre) and JPEG (the encoder
/// writes the JFIF segment). WebP, AVIF, HEIF and GIF have no density field.
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
        return image.Copy(xres: pixelsPerMillimetre, yres: pixelsPerMillimetre);
    }
}
