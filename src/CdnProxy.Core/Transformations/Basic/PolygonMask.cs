using CdnProxy.Urls.Grammar;
using CdnProxy.Vips;

namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// Rasterises a polygon into a 0/255 mask (libvips has no polygon fill). A pixel is inside when its centre is,
/// under the non-zero winding rule (the SVG and canvas default), so self-intersecting polygons fill their overlaps.
/// Edges are hard (no anti-aliasing). Only the requested window is rasterised, one scanline at a time.
/// </summary>
internal static class PolygonMask
{
    /// <summary>The mask of <paramref name="polygon"/> over the window at (<paramref name="left"/>, <paramref name="top"/>).</summary>
    public static byte[] Rasterise(IReadOnlyList<PolygonPoint> polygon, int left, int top, int width, int height)
    {
        var mask = new byte[width * height];
        var crossings = new List<(double X, int Winding)>(polygon.Count);
        for (var row = 0; row < height; row++)
        {
            // Sample at the pixel centre: vertices are integers, so the scanline never passes through one.
            var y = top + row + 0.5;
            crossings.Clear();
            for (var i = 0; i < polygon.Count; i++)
            {
                var (a, b) = (polygon[i], polygon[(i + 1) % polygon.Count]);
                if (y < Math.Min(a.Y, b.Y) || y >= Math.Max(a.Y, b.Y))
                {
                    continue;
                }

                var x = a.X + ((y - a.Y) * (b.X - a.X) / (b.Y - a.Y));
                crossings.Add((x, b.Y > a.Y ? 1 : -1));
            }

            crossings.Sort((p, q) => p.X.CompareTo(q.X));
            var winding = 0;
            for (var k = 0; k + 1 < crossings.Count; k++)
            {
                winding += crossings[k].Winding;
                if (winding != 0)
                {
                    FillSpan(mask.AsSpan(row * width, width), crossings[k].X - left, crossings[k + 1].X - left);
                }
            }
        }

        return mask;
    }

    /// <summary>The mask as a one-band image.</summary>
    public static VipsImage Image(IReadOnlyList<PolygonPoint> polygon, int left, int top, int width, int height) =>
        ImageExtensions.FromPixels(Rasterise(polygon, left, top, width, height), width, height, bands: 1);

    /// <summary>Sets the pixels whose centres lie in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private static void FillSpan(Span<byte> row, double from, double to)
    {
        var first = (int)Math.Clamp(Math.Ceiling(from - 0.5), 0, row.Length);
        var end = (int)Math.Clamp(Math.Ceiling(to - 0.5), 0, row.Length);
        if (first < end)
        {
            row[first..end].Fill(255);
        }
    }
}
