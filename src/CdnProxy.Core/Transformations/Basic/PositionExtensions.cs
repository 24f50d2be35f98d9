namespace CdnProxy.Core.Transformations.Basic;

/// <summary>Offsets for an anchor position.</summary>
public static class PositionExtensions
{
    public static EnumArgument<Position> Tokens { get; } = new(
        ("center", Position.Center), ("centre", Position.Center), ("top", Position.Top), ("bottom", Position.Bottom),
        ("left", Position.Left), ("right", Position.Right), ("right_top", Position.RightTop),
        ("right_bottom", Position.RightBottom), ("left_top", Position.LeftTop), ("left_bottom", Position.LeftBottom),
        ("attention", Position.Attention), ("entropy", Position.Entropy), ("face", Position.Face));

    /// <summary>True for the positions chosen from the image's content rather than from fixed anchors.</summary>
    public static bool IsSmart(this Position position) => position is Position.Attention or Position.Entropy;

    /// <summary>
    /// Where an inner box of <paramref name="inner"/> pixels starts inside an outer one of <paramref name="outer"/>
    /// pixels, along x (<paramref name="horizontal"/>) or y. Works for crops (inner ≤ outer) and for padding
    /// (inner ≤ outer as well, with the roles swapped by the caller).
    /// </summary>
    public static int Offset(this Position position, int outer, int inner, bool horizontal)
    {
        var spare = outer - inner;
        var anchor = horizontal ? Horizontal(position) : Vertical(position);
        return anchor switch
        {
            < 0 => 0,
            > 0 => spare,
            _ => spare / 2,
        };
    }

    private static int Horizontal(Position p) => p switch
    {
        Position.Left or Position.LeftTop or Position.LeftBottom => -1,
        Position.Right or Position.RightTop or Position.RightBottom => 1,
        _ => 0,
    };

    private static int Vertical(Position p) => p switch
    {
        Position.Top or Position.LeftTop or Position.RightTop => -1,
        Position.Bottom or Position.LeftBottom or Position.RightBottom => 1,
        _ => 0,
    };
}
