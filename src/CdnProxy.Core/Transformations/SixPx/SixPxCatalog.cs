namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>6px's methods (<c>filter.*</c>) in the one catalogue, so a 6px job and a URL run the same code.</summary>
public static class SixPxCatalog
{
    public static TransformationCatalog AddSixPx(this TransformationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog
            .Add<Crop>()
            .Add<Layer>()
            .Add<Sepia>()
            .Add<Invert>()
            .Add<Brightness>()
            .Add<Contrast>()
            .Add<Exposure>()
            .Add<Noise>()
            .Add<Saturation>()
            .Add<Vibrance>()
            .Add<Hue>()
            .Add<Gamma>()
            .Add<Colorize>()
            .Add<Channels>()
            .Add<SixPxSharpen>()
            .Add<StackBlur>();
    }
}
