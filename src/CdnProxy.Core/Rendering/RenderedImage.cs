namespace CdnProxy.Core.Rendering;

/// <summary>An encoded render result.</summary>
/// <param name="Bytes">The encoded image.</param>
/// <param name="ContentType">The media type sniffed from <paramref name="Bytes"/>.</param>
/// <param name="Width">Output width in pixels.</param>
/// <param name="Height">Output height in pixels.</param>
/// <param name="DecodeAndTransform">Time spent decoding and running the steps.</param>
/// <param name="Encode">Time spent encoding.</param>
public sealed record RenderedImage(byte[] Bytes, string ContentType, int Width, int Height, TimeSpan DecodeAndTransform, TimeSpan Encode);
