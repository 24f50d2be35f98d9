using NetVips;
using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>
/// HEIF container through libheif: AVIF is <c>compression=av1</c>; <c>f:heif</c> uses the codec chosen by
/// <see cref="Planning.EncoderCapabilities.HeifCompression"/>. <c>Q</c> = quality on libheif's scale (sharp passes it
/// unchanged too); chroma subsampling is chosen by libvips from the quality (4:4:4 from 90 up).
/// </summary>
internal sealed class HeifSaver(string compression, int defaultQuality, int effort) : IFormatSaver
{
    public int DefaultQuality => defaultQuality;

    public byte[] Save(VipsImage image, int quality, Enums.ForeignKeep keep) =>
        image.SaveToBuffer("heifsave_buffer", new SaveOptions().Add("Q", quality).Add("compression", compression == "hevc" ? Enums.ForeignHeifCompression.Hevc : Enums.ForeignHeifCompression.Av1)
            .AddIfSupported("effort", effort).AddIfSupported("subsample_mode", Enums.ForeignSubsample.Auto), keep);
}
