namespace CdnProxy.Core.Transformations.Basic;

/// <summary>URL tokens and sharp's placement arithmetic for <see cref="MergeGravity"/>.</summary>
public static class MergeGravityExtensions
{
    public static EnumArgument<MergeGravity> Tokens { get; } = new(
        ("center", MergeGravity.Center), ("centre", MergeGravity.Center), ("north", MergeGravity.North),
        ("northeast", MergeGravity.NorthEast), ("east", MergeGravity.East), ("southeast", MergeGravity.SouthEast),
        ("south", MergeGravity.South), ("southwest", MergeGravity.SouthWest), ("west", MergeGravity.West),
        ("northwest", MergeGravity.NorthWest), ("custom", MergeGravity.Custom));

    /// <summary>
    /// The top-left corner of an inner box placed inside an outer one, exactly as sharp computes it
    /// (<c>CalculateCrop</c>): centred positions round half a pixel towards the right and bottom, and an inner box
    /// larger than the outer one gets negative offsets. <see cref="MergeGravity.Custom"/> is treated as centre.
    /// </summary>
    public static (int Left, int Top) Place(this MergeGravity gravity, int outerWidth, int outerHeight, int innerWidth, int innerHeight)
    {
        int right = outerWidth - innerWidth, bottom = outerHeight - innerHeight;
        int middleX = (right + 1) / 2, middleY = (bottom + 1) / 2;
        return gravity switch
        {
            MergeGravity.North => (middleX, 0),
            MergeGravity.NorthEast => (right, 0),
            MergeGravity.East => (right, middleY),
            MergeGravity.SouthEast => (right, bottom),
            MergeGravity.South => (middleX, bottom),
            MergeGravity.SouthWest => (0, bottom),
            MergeGravity.West => (0, middleY),
            MergeGravity.NorthWest => (0, 0),
            _ => (middleX, middleY),
        };
    }

    /// <summary>True when sharp centres tiles across (an odd count): centre, north, south.</summary>
    public static bool CentresAcross(this MergeGravity gravity) =>
        gravity is MergeGravity.Center or MergeGravity.Custom or MergeGravity.North or MergeGravity.South;

    /// <summary>True when sharp centres tiles down (an odd count): centre, east, west.</summary>
    public static bool CentresDown(this MergeGravity gravity) =>
        gravity is MergeGravity.Center or MergeGravity.Custom or MergeGravity.East or MergeGravity.West;
}
