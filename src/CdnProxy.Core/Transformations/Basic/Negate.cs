namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.negate()</c>: sharp's <c>negate()</c> with its default <c>alpha: true</c>, so every band is inverted,
/// the alpha channel included.
/// </summary>
public sealed record Negate : ITransformation<Negate>, IStripSafe
{
    public static string Name => "t.negate";

    public static Negate Bind(ArgumentReader args) => new();

    public VipsImage Apply(VipsImage image, RenderContext context) => image.Invert();
}
