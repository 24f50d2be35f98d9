using NetVips;
using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>
/// PNG. From quality <see cref="LosslessFrom"/> up (the default 100, <c>good</c>, <c>best</c>, toFormat's default
/// 75) it is lossless truecolour at zlib level <c>compression</c>. Below it (<c>eco</c>, <c>low</c>, small numbers)
/// it is quantised to a palette of at most 256 colours by libimagequant with that quality as its target, the way
/// sharp's <c>png({quality})</c> works: typically 3–4× smaller, with dithering.
/// </summary>
internal sealed class PngSaver(int compression) : IFormatSaver
{
    public const int LosslessFrom = 75;

    public int DefaultQuality => 100;

    public byte[] Save(VipsImage image, int quality, Enums.ForeignKeep keep) =>
        quality >= LosslessFrom
            ? image.SaveToBuffer("pngsave_buffer", new SaveOptions().Add("compression", compression), keep)
            : image.SaveToBuffer("pngsave_buffer", new SaveOptions().Add("compression", compression).Add("palette", true).Add("Q", quality), keep);
}
