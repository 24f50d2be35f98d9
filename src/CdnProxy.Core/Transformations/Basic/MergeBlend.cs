namespace CdnProxy.Core.Transformations.Basic;

/// <summary>The blend modes of <c>t.merge</c>: sharp's <c>composite()</c> blends, which are libvips' blend modes.</summary>
public enum MergeBlend
{
    Over,
    In,
    Out,
    Atop,
    Dest,
    DestOver,
    DestIn,
    DestOut,
    DestAtop,
    Xor,
    Add,
    Saturate,
    Multiply,
    Screen,
    Overlay,
    Darken,
    Lighten,
    ColourDodge,
    ColourBurn,
    HardLight,
    SoftLight,
    Difference,
    Exclusion,
}
