using CdnProxy.Core.Assets;

namespace CdnProxy.Core.Tests.Assets;

public sealed class ColorPaletteTests
{
    [Fact]
    public void Of_ThreeColoursInUnequalShares_FindsEachWithItsShare_LargestFirst()
    {
        var pixels = Repeat((255, 0, 0), 600).Concat(Repeat((0, 0, 255), 300)).Concat(Repeat((0, 255, 0), 100)).SelectMany(Bytes).ToArray();

        var palette = ColorPalette.Of(pixels, 3, 8);

        Assert.Equal(["#ff0000", "#0000ff", "#00ff00"], palette.Select(c => c.Hex));
        Assert.Equal([0.6, 0.3, 0.1], palette.Select(c => c.Share));
    }

    [Fact]
    public void Of_TransparentPixels_AreLeftOut()
    {
        var opaque = Repeat((10, 20, 30), 50).SelectMany(p => Bytes(p).Append((byte)255));
        var clear = Repeat((250, 250, 250), 500).SelectMany(p => Bytes(p).Append((byte)0));

        var palette = ColorPalette.Of(opaque.Concat(clear).ToArray(), 4, 8);

        Assert.Equal("#0a141e", Assert.Single(palette).Hex);
        Assert.Empty(ColorPalette.Of(clear.ToArray(), 4, 8));
    }

    [Fact]
    public void Of_AGradient_GivesAtMostTheColoursAsked_WithSharesAddingUpToOne()
    {
        var pixels = Enumerable.Range(0, 256).SelectMany(v => new[] { (byte)v, (byte)(255 - v), (byte)(v / 2) }).ToArray();

        var palette = ColorPalette.Of(pixels, 3, 8);

        Assert.Equal(8, palette.Count);
        Assert.Equal(1.0, palette.Sum(c => c.Share), 3);
        Assert.Equal(palette.Count, palette.Select(c => c.Hex).Distinct().Count());
    }

    private static IEnumerable<(int R, int G, int B)> Repeat((int R, int G, int B) colour, int count) => Enumerable.Repeat(colour, count);

    private static IEnumerable<byte> Bytes((int R, int G, int B) p) => [(byte)p.R, (byte)p.G, (byte)p.B];
}
