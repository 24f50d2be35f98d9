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

    /// <summary>Centred on the faces found (<c>t.resize</c> cover crops only), by attention when there are none.</summary>
    Face,
}
