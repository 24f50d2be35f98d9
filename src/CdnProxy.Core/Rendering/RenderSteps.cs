using CdnProxy.Core.Transformations;
using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// What every decoded image goes through, the original as much as a merge image: the normalisation to 8-bit sRGB,
/// the plan's steps each clamped to the output limits, and handing ownership from one image to the next.
/// </summary>
internal static class RenderSteps
{
    // See ToSrgb: must match what libvips' thumbnail does with CMYK sources.
    private const string CmykIntent = "relative";

    /// <summary>Converts to 8-bit sRGB (or 8-bit grey) through the embedded ICC profile, or CMYK through a built-in profile.</summary>
    /// <remarks>
    /// CMYK uses the relative intent: libvips' thumbnail (the shrink-on-load path) always converts CMYK itself with
    /// the relative intent and ignores its intent option, so any other intent here would make the same source
    /// render in different colours depending on whether the plan starts with a resize.
    /// </remarks>
    public static VipsImage ToSrgb(VipsImage image)
    {
        var intent = image.Interpretation == VipsInterpretation.Cmyk ? CmykIntent : "perceptual";
        if (image.HasField("icc-profile-data"))
        {
            return Replace(image, image.IccTransform("srgb", intent: intent));
        }

        var converted = image.Interpretation switch
        {
            VipsInterpretation.Cmyk => image.IccTransform("srgb", inputProfile: "cmyk", intent: CmykIntent),
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
