using System.Text;

namespace CdnProxy.Core.Assets;

/// <summary>
/// BlurHash placeholders (the public algorithm: a few cosine components of the image in linear light, quantised
/// and written in base 83), encoded from a small copy of the image.
/// </summary>
public static class BlurHash
{
    private const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    /// <summary>
    /// The hash of <paramref name="rgb"/> (<paramref name="width"/> × <paramref name="height"/> pixels, 3 bytes
    /// each, sRGB) with <paramref name="componentsX"/> × <paramref name="componentsY"/> components (1–9 each).
    /// </summary>
    public static string Encode(ReadOnlySpan<byte> rgb, int width, int height, int componentsX, int componentsY)
    {
        if (componentsX is < 1 or > 9 || componentsY is < 1 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(componentsX), "Components must be between 1 and 9.");
        }

        if (width < 1 || height < 1 || rgb.Length < width * height * 3)
        {
            throw new ArgumentException("The pixel buffer is smaller than width × height × 3.", nameof(rgb));
        }

        var linear = new double[width * height * 3];
        for (var i = 0; i < linear.Length; i++)
        {
            linear[i] = ToLinear(rgb[i]);
        }

        var factors = new (double R, double G, double B)[componentsX * componentsY];
        for (var j = 0; j < componentsY; j++)
        {
            for (var i = 0; i < componentsX; i++)
            {
                factors[j * componentsX + i] = Component(linear, width, height, i, j);
            }
        }

        var hash = new StringBuilder();
        Append(hash, componentsX - 1 + (componentsY - 1) * 9, 1);

        var maximum = 1.0;
        if (factors.Length > 1)
        {
            var actual = factors.Skip(1).Max(f => Math.Max(Math.Abs(f.R), Math.Max(Math.Abs(f.G), Math.Abs(f.B))));
            var quantised = (int)Math.Clamp(Math.Floor(actual * 166 - 0.5), 0, 82);
            maximum = (quantised + 1) / 166.0;
            Append(hash, quantised, 1);
        }
        else
        {
            Append(hash, 0, 1);
        }

        var dc = factors[0];
        Append(hash, (ToSrgb(dc.R) << 16) + (ToSrgb(dc.G) << 8) + ToSrgb(dc.B), 4);
        foreach (var ac in factors.Skip(1))
        {
            int Quantise(double value) => (int)Math.Clamp(Math.Floor(SignedPow(value / maximum, 0.5) * 9 + 9.5), 0, 18);
            Append(hash, Quantise(ac.R) * 19 * 19 + Quantise(ac.G) * 19 + Quantise(ac.B), 2);
        }

        return hash.ToString();
    }

    private static (double R, double G, double B) Component(double[] linear, int width, int height, int i, int j)
    {
        double r = 0, g = 0, b = 0;
        var normalisation = i == 0 && j == 0 ? 1 : 2;
        for (var y = 0; y < height; y++)
        {
            var cy = Math.Cos(Math.PI * j * y / height);
            for (var x = 0; x < width; x++)
            {
                var basis = normalisation * Math.Cos(Math.PI * i * x / width) * cy;
                var p = (y * width + x) * 3;
                r += basis * linear[p];
                g += basis * linear[p + 1];
                b += basis * linear[p + 2];
            }
        }

        var scale = 1.0 / (width * height);
        return (r * scale, g * scale, b * scale);
    }

    private static double ToLinear(byte value)
    {
        var v = value / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
    }

    private static int ToSrgb(double value)
    {
        var v = Math.Clamp(value, 0, 1);
        return v <= 0.0031308 ? (int)(v * 12.92 * 255 + 0.5) : (int)((1.055 * Math.Pow(v, 1 / 2.4) - 0.055) * 255 + 0.5);
    }

    private static double SignedPow(double value, double exponent) => Math.CopySign(Math.Pow(Math.Abs(value), exponent), value);

    private static void Append(StringBuilder hash, int value, int length)
    {
        for (var i = 1; i <= length; i++)
        {
            var digit = value / (int)Math.Pow(83, length - i) % 83;
            hash.Append(Digits[digit]);
        }
    }
}
