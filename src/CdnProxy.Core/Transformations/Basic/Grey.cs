using NetVips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.grey()</c>: greyscale (sharp <c>greyscale</c>), converting to libvips' <c>b-w</c> space; alpha is kept.
/// The output has one colour band, so a JPEG comes out as a 1-band greyscale JPEG.
/// </summary>
public sealed record Grey : ITransformation<Grey>, IStripSafe
{
    public static string Name => "t.grey";

    public static Grey Bind(ArgumentReader args) => new();

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Interpretation == Enums.Interpretation.Bw ? image : image.Colourspace(Enums.Interpretation.Bw);
    }
}
