using CdnProxy.Vips;
using NetVips;

namespace CdnProxy.Core.Transformations;

/// <summary>
/// What every decoded image goes through, the original as much as a merge image: the normalisation to 8-bit sRGB,
/// the plan's steps each clamped to the output limits, and handing ownership from one image to the next.
/// </summary>
internal static class RenderSteps
{
    // sharp converts embedded profiles and CMYK with the perceptual intent (CMYK originals skip the thumbnail path,
    // which always uses relative: see VipsImageRenderer.Load).
    private const Enums.Intent ColourIntent = Enums.Intent.Perceptual;

    /// <summary>Converts to 8-bit sRGB (or 8-bit grey) through the embedded ICC profile, or CMYK through a built-in profile.</summary>
    public static VipsImage ToSrgb(VipsImage image)
    {
        if (image.HasField("icc-profile-data"))
        {
            return Replace(image, image.IccTransform("srgb", intent: ColourIntent, embedded: true, depth: 8));
        }

        var converted = image.Interpretation switch
        {
            Enums.Interpretation.Cmyk => image.IccTransform("srgb", intent: ColourIntent, embedded: true, inputProfile: "cmyk", depth: 8),
            Enums.Interpretation.Srgb or Enums.Interpretation.Bw => null,
            Enums.Interpretation.Grey16 => image.Colourspace(Enums.Interpretation.Bw),
            _ => image.Colourspace(Enums.Interpretation.Srgb),
        };
        image = converted is null ? image : Replace(image, converted);
        return image.Format == Enums.BandFormat.Uchar ? image : Replace(image, image.Cast(Enums.BandFormat.Uchar));
    }

    /// <summary>Runs <paramref name="steps"/> in order, each result clamped; takes ownership of <paramref name="image"/>.</summary>
    public static VipsImage Apply(VipsImage image, IEnumerable<ITransformation> steps, RenderContext context)
    {
        foreach (var step in steps)
        {
            image = Replace(image, step.Apply(image, context));
            image = Replace(image, Clamp(image, context.Limits));
        }

        return image;
    }

    /// <summary>Pixelbin clamps results to 10000 px a side and 40 MP, after every step.</summary>
    public static VipsImage Clamp(VipsImage image, RenderLimits limits)
    {
        var scale = limits.OutputScale(image.Width, image.Height);
        return scale < 1 ? image.Resize(scale, Enums.Kernel.Lanczos3) : image;
    }

    /// <summary>Disposes <paramref name="current"/> unless it is <paramref name="next"/>; returns <paramref name="next"/>.</summary>
    public static VipsImage Replace(VipsImage current, VipsImage next)
    {
        if (!ReferenceEquals(current, next))
        {
            current.Dispose();
        }

        return next;
    }
}
