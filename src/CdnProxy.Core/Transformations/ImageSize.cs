using System.Globalization;

namespace CdnProxy.Core.Transformations;

/// <summary>An image's size in pixels, as planned before decoding or measured after a step.</summary>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
public readonly record struct ImageSize(long Width, long Height)
{
    /// <summary>Width × height.</summary>
    public long Pixels => Width * Height;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}");
}
