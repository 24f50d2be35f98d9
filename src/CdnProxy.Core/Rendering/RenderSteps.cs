using CdnProxy.Core.Transformations;
using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// What every decoded image goes through, the original as much as a merge image: the normalisation to 8-bit sRGB,
/// the plan's steps each clamped to the output limits, and handing ownership from one image to the next.
/// </summary>
internal static class RenderSteps
{
    // sharp converts embedded profiles and CMYK with the perceptual intent (CMYK originals skip the thumbnail path,
    // which always uses relative: see VipsImageRenderer.Load).
    private const string ColourIntent = "perceptual";

    /// <summary>Converts to 8-bit sRGB (or 8-bit grey) through the embedded ICC profile, or CMYK through a built-in profile.</summary>
    public static VipsImage ToSrgb(VipsImage image)
    {
        if (image.HasField("icc-profile-data"))
        {
            return Replace(image, image.IccTransform("srgb", intent: ColourIntent));
        }

        var converted = image.Interpretation switch
        {
            VipsInterpretation.Cmyk => image.IccTransform("srgb", inputProfile: "cmyk", intent: ColourIntent),
            VipsInterpretation.Srgb or VipsInterpretation.BW => null,
            VipsInterpretation.Grey16 => image.Colourspace("b-w"),
            _ => image.Colourspace("srgb"),
        };
        image = converted is null ? image : Replace(image, converted);
        return image.Format == VipsBandFormat.Unsigned8 ? image : Replace(image, image.Cast("uchar"));
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
        return scale < 1 ? image.Resize(scale, null, "lanczos3") : image;
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
