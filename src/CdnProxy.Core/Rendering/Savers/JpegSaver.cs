using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>JPEG (mozjpeg): <c>Q</c> = quality, Huffman tables optimised as sharp does; a JFIF segment carries the density.</summary>
internal sealed class JpegSaver(int defaultQuality) : IFormatSaver
{
    public int DefaultQuality => defaultQuality;

    public byte[] Save(VipsImage image, int quality, string keep)
    {
        var jpeg = image.SaveToBuffer("jpegsave_buffer", c => c.Set("Q", quality).Set("optimize_coding", true), keep);
        return JfifSegment.Insert(jpeg, image.HorizontalResolution, image.VerticalResolution);
    }
}
