using System.Globalization;

namespace CdnProxy.Urls.Grammar;

/// <summary>One vertex of a polygon, written <c>[x_y]</c>; either coordinate may be negative.</summary>
/// <param name="X">Horizontal position in pixels from the left edge.</param>
/// <param name="Y">Vertical position in pixels from the top edge.</param>
public readonly record struct PolygonPoint(int X, int Y)
{
    /// <summary>The canonical wire form of the point, brackets included.</summary>
    /// <returns>For example <c>[10_20]</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"[{X}_{Y}]");
}
