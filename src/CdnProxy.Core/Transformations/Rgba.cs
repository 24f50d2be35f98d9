using System.Globalization;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Transformations;

/// <summary>An 8-bit colour with alpha, written in URLs as <c>RRGGBB</c> or <c>RRGGBBAA</c>.</summary>
public readonly record struct Rgba(byte R, byte G, byte B, byte A)
{
    public static Rgba Black => new(0, 0, 0, 255);

    public static Rgba White => new(255, 255, 255, 255);

    public bool IsOpaque => A == 255;

    private double Luminance => Math.Round((0.2126 * R) + (0.7152 * G) + (0.0722 * B));

    /// <summary>Parses 6 or 8 hex digits (either case); null when malformed.</summary>
    public static Rgba? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!ArgumentText.TryColour(text, out var value))
        {
            return null;
        }

        return text.Length == 6
            ? new Rgba((byte)(value >> 16), (byte)(value >> 8), (byte)value, 255)
            : new Rgba((byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value);
    }

    /// <summary>The canonical text: lowercase, alpha only when not opaque.</summary>
    public override string ToString() => IsOpaque
        ? string.Create(CultureInfo.InvariantCulture, $"{R:x2}{G:x2}{B:x2}")
        : string.Create(CultureInfo.InvariantCulture, $"{R:x2}{G:x2}{B:x2}{A:x2}");

    /// <summary>
    /// The colour as libvips band values for an image with <paramref name="bands"/> bands; greyscale images get the
    /// colour's luminance (Rec. 709 weights, as sharp does), not its red channel.
    /// </summary>
    public double[] ToBands(int bands) => bands switch
    {
        1 => [Luminance],
        2 => [Luminance, A],
        3 => [R, G, B],
        _ => [R, G, B, A],
    };
}
