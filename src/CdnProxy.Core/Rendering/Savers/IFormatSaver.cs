using NetVips;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>Encodes one output format; the encoder hands it an 8-bit image with the bands that format can hold.</summary>
internal interface IFormatSaver
{
    /// <summary>The quality used when the URL names none.</summary>
    int DefaultQuality { get; }

    /// <summary>Encodes <paramref name="image"/> at <paramref name="quality"/> (1–100), writing only the metadata <paramref name="keep"/> names.</summary>
    byte[] Save(VipsImage image, int quality, Enums.ForeignKeep keep);
}
