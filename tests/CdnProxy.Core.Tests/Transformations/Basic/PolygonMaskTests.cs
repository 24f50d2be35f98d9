using CdnProxy.Core.Transformations.Basic;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Tests.Transformations.Basic;

public class PolygonMaskTests
{
    private static PolygonPoint[] Points(params int[] xy) =>
        [.. Enumerable.Range(0, xy.Length / 2).Select(i => new PolygonPoint(xy[2 * i], xy[(2 * i) + 1]))];

    private static bool Inside(byte[] mask, int width, int x, int y) => mask[(y * width) + x] == 255;

    [Fact]
    public void Rasterise_AxisAlignedSquare_FillsExactlyItsPixels()
    {
        var mask = PolygonMask.Rasterise(Points(2, 3, 7, 3, 7, 9, 2, 9), 0, 0, 10, 12);

        Assert.Equal(5 * 6, mask.Count(b => b == 255));
        Assert.True(Inside(mask, 10, 2, 3));
        Assert.True(Inside(mask, 10, 6, 8));
        Assert.False(Inside(mask, 10, 7, 8));
        Assert.False(Inside(mask, 10, 6, 9));
    }

    [Fact]
    public void Rasterise_Triangle_FillsHalfTheSquareByPixelCentres()
    {
        var mask = PolygonMask.Rasterise(Points(0, 0, 100, 0, 0, 100), 0, 0, 100, 100);

        // Pixel centres strictly below the diagonal x + y < 100: 100 + 99 + ... + 1 minus the 100 on the diagonal... = 4950.
        Assert.Equal(4950, mask.Count(b => b == 255));
        Assert.True(Inside(mask, 100, 0, 98));
        Assert.False(Inside(mask, 100, 50, 50));
    }

    [Fact]
    public void Rasterise_Pentagram_FillsItsCentreUnderTheNonZeroRule()
    {
        // A five-pointed star drawn in one stroke: even-odd would leave the centre pentagon empty.
        var mask = PolygonMask.Rasterise(Points(50, 0, 79, 90, 2, 35, 98, 35, 21, 90), 0, 0, 100, 100);

        Assert.True(Inside(mask, 100, 50, 50));
        Assert.True(Inside(mask, 100, 50, 10));
        Assert.False(Inside(mask, 100, 5, 5));
    }

    [Fact]
    public void Rasterise_Window_IsOffsetIntoThePolygon()
    {
        var whole = PolygonMask.Rasterise(Points(0, 0, 100, 0, 0, 100), 0, 0, 100, 100);
        var window = PolygonMask.Rasterise(Points(0, 0, 100, 0, 0, 100), 40, 30, 20, 50);

        for (var y = 0; y < 50; y++)
        {
            for (var x = 0; x < 20; x++)
            {
                Assert.Equal(whole[((y + 30) * 100) + x + 40], window[(y * 20) + x]);
            }
        }
    }
}
