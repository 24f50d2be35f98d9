using NetVips;

namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>
/// <c>filter.layer(i,x,y,o)</c>, 6px's <c>layer</c>: the image <c>i</c> (a file id of the same cloud and zone,
/// fetched with the original, like <c>t.merge</c>'s) drawn over the image with its top-left corner at
/// (<c>x</c>, <c>y</c>) and its opacity multiplied by <c>o</c> (0–1). The result keeps the base's size. Without
/// <c>i</c> nothing is drawn (6px's <c>ref</c> is optional too).
/// </summary>
public sealed record Layer(string? FileId, int X, int Y, double Opacity) : ITransformation<Layer>, IReferencesFiles
{
    private const int MaxPosition = 100_000;

    public static string Name => SixPxFilter.Namespace + "layer";

    public IEnumerable<string> ReferencedFiles => FileId is null ? [] : [FileId];

    public static Layer Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Layer(
            FileId: args.FileId("i"),
            X: args.Whole("x", 0, 0, MaxPosition),
            Y: args.Whole("y", 0, 0, MaxPosition),
            Opacity: args.Real("o", 1, 0, 1));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(context);
        if (FileId is null || X >= image.Width || Y >= image.Height || Opacity == 0)
        {
            return image;
        }

        using var loaded = ReferencedImageLoader.LoadUpright(context.Files.Get(FileId), context, "layer image");
        using var withAlpha = loaded.HasAlpha() ? loaded.Copy() : loaded.Bandjoin(255.0);
        using var faded = Opacity == 1 ? withAlpha.Copy() : withAlpha.Linear([1.0, 1, 1, Opacity], [0.0, 0, 0, 0]);
        using var srgbBase = image.Colourspace(Enums.Interpretation.Srgb);
        using var composed = srgbBase.Composite2(faded, Enums.BlendMode.Over, X, Y);
        return composed.Format == Enums.BandFormat.Uchar ? composed.Copy() : composed.Cast(Enums.BandFormat.Uchar);
    }
}
