using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>One output format's encoder: its saver and what the URL's quality (1–100) means for it.</summary>
internal interface IFormatSaver
{
    /// <summary>The quality used when the URL sets none.</summary>
    int DefaultQuality { get; }

    /// <summary>
    /// Encodes an 8-bit sRGB or grey image (alpha allowed where the format has it). <paramref name="keep"/> is the
    /// libvips metadata keep flag: <c>none</c>, or <c>exif</c> when the image carries a copyright notice to keep.
    /// </summary>
    byte[] Save(VipsImage image, int quality, string keep);
}
