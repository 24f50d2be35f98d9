using NetVips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary><c>t.flip()</c>: mirrors top to bottom.</summary>
public sealed record Flip : ITransformation<Flip>
{
    public static string Name => "t.flip";

    public static Flip Bind(ArgumentReader args) => new();

    /// <summary>A vertical flip reads its input from the bottom up.</summary>
    public bool ReadsInputOutOfOrder => true;

    public VipsImage Apply(VipsImage image, RenderContext context) => image.Flip(Enums.Direction.Vertical);
}
