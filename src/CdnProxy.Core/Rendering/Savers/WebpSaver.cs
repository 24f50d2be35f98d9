using NetVips;
using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>Lossy WebP: <c>Q</c> = quality, libwebp method <c>effort</c> (0–6).</summary>
internal sealed class WebpSaver(int defaultQuality, int effort) : IFormatSaver
{
    public int DefaultQuality => defaultQuality;

    public byte[] Save(VipsImage image, int quality, Enums.ForeignKeep keep) =>
        image.SaveToBuffer("webpsave_buffer", new SaveOptions().Add("Q", quality).AddIfSupported("effort", effort), keep);
}
