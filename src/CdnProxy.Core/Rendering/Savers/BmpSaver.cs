using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>BMP through our own <see cref="BmpEncoder"/>: lossless, so quality is ignored; no metadata besides density.</summary>
internal sealed class BmpSaver : IFormatSaver
{
    public int DefaultQuality => 100;

    public byte[] Save(VipsImage image, int quality, string keep)
    {
        var pixelsPerMetre = (int)Math.Round(Math.Clamp(image.HorizontalResolution, 0, 1_000_000) * 1000);
        return BmpEncoder.Encode(image.ToPixelBytes(), image.Width, image.Height, image.Bands, pixelsPerMetre);
    }
}
