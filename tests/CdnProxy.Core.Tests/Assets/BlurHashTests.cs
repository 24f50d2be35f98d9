using CdnProxy.Core.Assets;

namespace CdnProxy.Core.Tests.Assets;

public sealed class BlurHashTests
{
    private const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    [Fact]
    public void Encode_UniformColour_HasItAsTheAverage()
    {
        var hash = BlurHash.Encode(Uniform(16, 12, 200, 100, 50), 16, 12, 4, 3);

        Assert.Equal(28, hash.Length); // size flag, maximum, DC (4), 11 AC components (2 each)
        Assert.Equal(3 + 2 * 9, Decode(hash[..1]));
        Assert.Equal((200 << 16) + (100 << 8) + 50, Decode(hash[2..6]));
    }

    [Fact]
    public void Encode_UniformGrey_EveryComponentIsGrey()
    {
        // The basis is not orthogonal on a pixel grid (the edge rows do not cancel), so a flat image still has small
        // components; for a grey one they are equal in red, green and blue.
        var hash = BlurHash.Encode(Uniform(16, 12, 128, 128, 128), 16, 12, 4, 3);

        for (var ac = 6; ac < hash.Length; ac += 2)
        {
            var value = Decode(hash.Substring(ac, 2));
            Assert.Equal(value / (19 * 19), value / 19 % 19);
            Assert.Equal(value / 19 % 19, value % 19);
        }
    }

    [Fact]
    public void Encode_BrightLeftDarkRight_FirstHorizontalComponentIsPositive()
    {
        const int width = 16, height = 8;
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var value = (byte)(x < width / 2 ? 255 : 0);
                pixels.AsSpan((y * width + x) * 3, 3).Fill(value);
            }
        }

        var hash = BlurHash.Encode(pixels, width, height, 4, 3);
        var first = Decode(hash.Substring(6, 2));

        Assert.True(first / (19 * 19) > 9, "red of the (1,0) component should be positive");
        Assert.Equal(first / (19 * 19), first / 19 % 19);
        Assert.NotEqual(BlurHash.Encode(Uniform(width, height, 128, 128, 128), width, height, 4, 3), hash);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(10, 3)]
    public void Encode_ComponentsOutOfRange_Throw(int x, int y) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BlurHash.Encode(Uniform(4, 4, 1, 2, 3), 4, 4, x, y));

    private static byte[] Uniform(int width, int height, byte r, byte g, byte b)
    {
        var pixels = new byte[width * height * 3];
        for (var p = 0; p < pixels.Length; p += 3)
        {
            (pixels[p], pixels[p + 1], pixels[p + 2]) = (r, g, b);
        }

        return pixels;
    }

    private static int Decode(string digits) => digits.Aggregate(0, (value, c) => value * 83 + Digits.IndexOf(c, StringComparison.Ordinal));
}
