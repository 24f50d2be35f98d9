using NetVips;
using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>
/// GIF (cgif + libimagequant). GIF is always a palette of at most 256 colours, so quality chooses the palette's
/// size: 75–100 → 256 colours (8 bits), 50–74 → 128, 25–49 → 64, below 25 → 32. The default is 100.
/// Effort and dither come from <see cref="EncoderOptions"/> (defaults 1 and 0.5: docs/benchmarks.md, GIF encoding).
/// </summary>
internal sealed class GifSaver(int effort, double dither) : IFormatSaver
{
    public int DefaultQuality => 100;

    /// <summary>Palette bits for a quality: fewer colours for lower qualities.</summary>
    public static int BitDepth(int quality) => quality switch
    {
        >= 75 => 8,
        >= 50 => 7,
        >= 25 => 6,
        _ => 5,
    };

    public byte[] Save(VipsImage image, int quality, Enums.ForeignKeep keep) =>
        image.SaveToBuffer("gifsave_buffer", new SaveOptions().AddIfSupported("bitdepth", BitDepth(quality))
            .AddIfSupported("effort", effort).AddIfSupported("dither", dither), keep);
}
