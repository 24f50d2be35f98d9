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

    /// <summary>
    /// A crop centred on what draws the eye (libvips smartcrop: skin tones, saturated colour, edges); an extension of
    /// Pixelbin's positions, as imgproxy and thumbor have. Letterboxing centres.
    /// </summary>
    Attention,

    /// <summary>A crop keeping the most detailed region (libvips smartcrop by entropy); letterboxing centres.</summary>
    Entropy,

    /// <summary>Centred on the faces found (<c>t.resize</c> cover crops only), by attention when there are none.</summary>
    Face,
}
