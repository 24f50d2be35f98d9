namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.flatten(b)</c>: merges the alpha channel onto the background colour <c>b</c> and removes it (sharp
/// <c>flatten</c>); the colour's own alpha is ignored. An image without alpha is unchanged.
/// </summary>
public sealed record Flatten(Rgba Background) : ITransformation<Flatten>, IStripSafe
{
    public static string Name => "t.flatten";

    public static Flatten Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Flatten(args.Color("b", Rgba.Black));
    }

    public VipsImage Apply(VipsImage image, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.HasAlpha() ? image.Flatten(Background.ToBands(image.Bands - 1)) : image;
    }
}
