using CdnProxy.Core.Rendering;
using CdnProxy.Vips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary><c>t.flip()</c>: mirrors top to bottom.</summary>
public sealed record Flip : ITransformation<Flip>
{
    public static string Name => "t.flip";

    public static Flip Bind(ArgumentReader args) => new();

    public VipsImage Apply(VipsImage image, RenderContext context) => image.Flip("vertical");
}
