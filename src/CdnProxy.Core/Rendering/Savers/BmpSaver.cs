using NetVips;
using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>BMP through our own <see cref="BmpEncoder"/>: lossless, so quality is ignored; no metadata besides density.</summary>
internal sealed class BmpSaver : IFormatSaver
{
    public int DefaultQuality => 100;

    public byte[] Save(VipsImage image, int quality, Enums.ForeignKeep keep)
    {
        var pixelsPerMetre = (int)Math.Round(Math.Clamp(image.Xres, 0, 1_000_000) * 1000);
        // Encoded straight from libvips' buffer: a 40 MP RGBA image is 160 MB, held natively and as the file only.
        return image.ReadPixels(pixels => BmpEncoder.Encode(pixels, image.Width, image.Height, image.Bands, pixelsPerMetre));
    }
}
