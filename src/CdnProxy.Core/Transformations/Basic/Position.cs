namespace CdnProxy.Core.Transformations.Basic;

/// <summary>An anchor for crops and letterboxing: where the kept or placed area sits.</summary>
public enum Position
{
    Center,
    Top,
    Bottom,
    Left,
    Right,
    RightTop,
    RightBottom,
    LeftTop,
    LeftBottom,
}
