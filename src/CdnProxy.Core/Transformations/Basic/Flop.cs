using NetVips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary><c>t.flop()</c>: mirrors left to right.</summary>
public sealed record Flop : ITransformation<Flop>, IStripSafe
{
    public static string Name => "t.flop";

    public static Flop Bind(ArgumentReader args) => new();

    public VipsImage Apply(VipsImage image, RenderContext context) => image.Flip(Enums.Direction.Horizontal);
}
