using NetVips;
using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>
/// JPEG (mozjpeg): <c>Q</c> = quality, Huffman tables optimised and chroma always 4:2:0 as sharp does (libvips' own
/// choice switches to 4:4:4 from q 90, about 40 % larger); a JFIF segment carries the density.
/// </summary>
internal sealed class JpegSaver(int defaultQuality) : IFormatSaver
{
    public int DefaultQuality => defaultQuality;

    public byte[] Save(VipsImage image, int quality, Enums.ForeignKeep keep)
    {
        var (xres, yres) = (image.Xres, image.Yres);
        var jpeg = image.SaveToBuffer(
            "jpegsave_buffer",
            new SaveOptions().Add("Q", quality).Add("optimize_coding", true).AddIfSupported("subsample_mode", Enums.ForeignSubsample.On),
            keep);
        return JfifSegment.Insert(jpeg, xres, yres);
    }
}
