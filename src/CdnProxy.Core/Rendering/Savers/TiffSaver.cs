using NetVips;
using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>
/// TIFF: JPEG-compressed at <c>Q</c> = quality, or lossless deflate when the image has alpha (JPEG-in-TIFF has no
/// alpha). The density is always in its resolution tags.
/// </summary>
internal sealed class TiffSaver(int defaultQuality) : IFormatSaver
{
    public int DefaultQuality => defaultQuality;

    public byte[] Save(VipsImage image, int quality, Enums.ForeignKeep keep) =>
        image.SaveToBuffer("tiffsave_buffer", new SaveOptions().Add("Q", quality)
            .Add("compression", image.HasAlpha() ? Enums.ForeignTiffCompression.Deflate : Enums.ForeignTiffCompression.Jpeg), keep);
}
