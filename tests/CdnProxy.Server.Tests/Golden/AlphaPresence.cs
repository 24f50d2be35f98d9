using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Golden;

/// <summary>
/// Whether CdnProxy's output and sharp's reference agree on having an alpha band. sharp's <c>composite()</c> always
/// adds one, even when every pixel stays opaque, while CdnProxy leaves it out where it cannot be translucent (smaller
/// output, and JPEG-friendly): a reference whose alpha is fully opaque everywhere shows the same picture as an output
/// without alpha. Any translucent reference pixel still requires alpha; an opaque alpha band in our output where
/// sharp has none is still a difference (it costs bytes for nothing).
/// </summary>
public static class AlphaPresence
{
    public static bool Agrees(VipsImage reference, VipsImage actual)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(actual);
        return reference.HasAlpha() == actual.HasAlpha() || (reference.HasAlpha() && IsOpaqueEverywhere(reference));
    }

    /// <summary>True when the alpha band (the last one) holds its format's maximum in every pixel.</summary>
    public static bool IsOpaqueEverywhere(VipsImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var opaque = image.Format == NetVips.Enums.BandFormat.Ushort ? ushort.MaxValue : byte.MaxValue;
        return AlphaBand.Lowest(image) >= opaque;
    }
}
