using NetVips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>URL tokens, libvips names and alpha behaviour of the blend modes.</summary>
public static class MergeBlendExtensions
{
    /// <summary>The URL tokens; the first token of each mode is canonical (libvips' nick for it).</summary>
    public static EnumArgument<MergeBlend> Tokens { get; } = new(
        ("over", MergeBlend.Over), ("in", MergeBlend.In), ("out", MergeBlend.Out), ("atop", MergeBlend.Atop),
        ("dest", MergeBlend.Dest), ("dest-over", MergeBlend.DestOver), ("dest-in", MergeBlend.DestIn),
        ("dest-out", MergeBlend.DestOut), ("dest-atop", MergeBlend.DestAtop), ("xor", MergeBlend.Xor),
        ("add", MergeBlend.Add), ("saturate", MergeBlend.Saturate), ("multiply", MergeBlend.Multiply),
        ("screen", MergeBlend.Screen), ("overlay", MergeBlend.Overlay), ("darken", MergeBlend.Darken),
        ("lighten", MergeBlend.Lighten), ("colour-dodge", MergeBlend.ColourDodge), ("color-dodge", MergeBlend.ColourDodge),
        ("colour-burn", MergeBlend.ColourBurn), ("color-burn", MergeBlend.ColourBurn), ("hard-light", MergeBlend.HardLight),
        ("soft-light", MergeBlend.SoftLight), ("difference", MergeBlend.Difference), ("exclusion", MergeBlend.Exclusion));

    /// <summary>The libvips blend mode.</summary>
    public static Enums.BlendMode ToVips(this MergeBlend blend) => blend switch
    {
        MergeBlend.Over => Enums.BlendMode.Over,
        MergeBlend.In => Enums.BlendMode.In,
        MergeBlend.Out => Enums.BlendMode.Out,
        MergeBlend.Atop => Enums.BlendMode.Atop,
        MergeBlend.Dest => Enums.BlendMode.Dest,
        MergeBlend.DestOver => Enums.BlendMode.DestOver,
        MergeBlend.DestIn => Enums.BlendMode.DestIn,
        MergeBlend.DestOut => Enums.BlendMode.DestOut,
        MergeBlend.DestAtop => Enums.BlendMode.DestAtop,
        MergeBlend.Xor => Enums.BlendMode.Xor,
        MergeBlend.Add => Enums.BlendMode.Add,
        MergeBlend.Saturate => Enums.BlendMode.Saturate,
        MergeBlend.Multiply => Enums.BlendMode.Multiply,
        MergeBlend.Screen => Enums.BlendMode.Screen,
        MergeBlend.Overlay => Enums.BlendMode.Overlay,
        MergeBlend.Darken => Enums.BlendMode.Darken,
        MergeBlend.Lighten => Enums.BlendMode.Lighten,
        MergeBlend.ColourDodge => Enums.BlendMode.ColourDodge,
        MergeBlend.ColourBurn => Enums.BlendMode.ColourBurn,
        MergeBlend.HardLight => Enums.BlendMode.HardLight,
        MergeBlend.SoftLight => Enums.BlendMode.SoftLight,
        MergeBlend.Difference => Enums.BlendMode.Difference,
        MergeBlend.Exclusion => Enums.BlendMode.Exclusion,
        _ => throw new ArgumentOutOfRangeException(nameof(blend), blend, null),
    };

    /// <summary>
    /// True when the result is opaque wherever the lower layer (destination) is: its alpha is
    /// αs + αd(1 − αs), αd, or min(1, αs + αd), never αs alone or a difference.
    /// </summary>
    public static bool KeepsOpaqueDestination(this MergeBlend blend) =>
        blend is not (MergeBlend.In or MergeBlend.Out or MergeBlend.DestIn or MergeBlend.DestOut or MergeBlend.DestAtop or MergeBlend.Xor);

    /// <summary>True when the result is opaque wherever the upper layer (source) is.</summary>
    public static bool KeepsOpaqueSource(this MergeBlend blend) =>
        blend is not (MergeBlend.In or MergeBlend.Out or MergeBlend.Atop or MergeBlend.Dest or MergeBlend.DestIn or MergeBlend.DestOut or MergeBlend.Xor);
}
