using System.Globalization;

namespace CdnProxy.Urls.Grammar;

/// <summary>
/// A rectangle written <c>top_left_height_width</c> (the order of the official Figma plugin), e.g. <c>10_20_30_40</c>.
/// </summary>
/// <remarks>
/// <see cref="Top"/> and <see cref="Left"/> may be negative (a region that starts outside the image); the operation
/// that uses the box decides whether that is clipped or rejected. <see cref="Height"/> and <see cref="Width"/> are never negative.
/// </remarks>
/// <param name="Top">Offset of the top edge from the top of the image, in pixels.</param>
/// <param name="Left">Offset of the left edge from the left of the image, in pixels.</param>
/// <param name="Height">Height of the region in pixels; not negative.</param>
/// <param name="Width">Width of the region in pixels; not negative.</param>
public readonly record struct BoundingBox(int Top, int Left, int Height, int Width)
{
    /// <summary>The canonical wire form: <c>top_left_height_width</c> with plain decimal numbers.</summary>
    /// <returns>For example <c>10_20_30_40</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Top}_{Left}_{Height}_{Width}");
}
