using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>
/// JPEG (mozjpeg): <c>Q</c> = quality, Huffman tables optimised and chroma always 4:2:0 as sharp does (libvips' own
/// choice switches to 4:4:4 from q 90, about 40 % larger); a JFIF segment carries the density.
/// </summary>
internal sealed class JpegSaver(int defaultQuality) : IFormatSaver
{
    public int DefaultQuality => defaultQuality;

    public byte[] Save(VipsImage image, int quality, string keep)
    {
        var (xres, yres) = (image.HorizontalResolution, image.VerticalResolution);
        return image.SaveToBuffer(
            "jpegsave_buffer",
            jpeg => JfifSegment.Insert(jpeg, xres, yres),
            c => c.Set("Q", quality).Set("optimize_coding", true).SetIfPresent("subsample_mode", "on"),
            keep);
    }
}
