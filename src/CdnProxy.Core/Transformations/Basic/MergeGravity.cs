namespace CdnProxy.Core.Transformations.Basic;

/// <summary>Where <c>t.merge</c> places the merge image on the base (sharp's compass gravities), or <c>custom</c> for <c>t</c>/<c>l</c>.</summary>
public enum MergeGravity
{
    Center,
    North,
    NorthEast,
    East,
    SouthEast,
    South,
    SouthWest,
    West,
    NorthWest,
    Custom,
}
