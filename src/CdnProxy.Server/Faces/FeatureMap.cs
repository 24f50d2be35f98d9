using System.Buffers;

namespace CdnProxy.Server.Faces;

/// <summary>
/// A network's activations: <see cref="Height"/> × <see cref="Width"/> pixels of <see cref="Channels"/> floats each,
/// channels last (a pixel's channels are adjacent, so per-pixel matrix products run over contiguous memory). The
/// storage is rented from the shared pool: detections run often and the maps are megabytes.
/// </summary>
public sealed class FeatureMap : IDisposable
{
    private float[]? _values;

    public FeatureMap(int height, int width, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Height = height;
        Width = width;
        Channels = channels;
        _values = ArrayPool<float>.Shared.Rent(checked(height * width * channels));
    }

    public int Height { get; }

    public int Width { get; }

    public int Channels { get; }

    /// <summary>Every value, row by row, pixel by pixel, channel by channel.</summary>
    public Span<float> Values => Storage.AsSpan(0, Height * Width * Channels);

    /// <summary>Row <paramref name="y"/>: its pixels' channels one after the other.</summary>
    public Span<float> Row(int y) => Storage.AsSpan(y * Width * Channels, Width * Channels);

    /// <summary>The channels of the pixel at row <paramref name="y"/>, column <paramref name="x"/>.</summary>
    public Span<float> Pixel(int y, int x) => Storage.AsSpan(((y * Width) + x) * Channels, Channels);

    public void Dispose()
    {
        if (_values is { } values)
        {
            _values = null;
            ArrayPool<float>.Shared.Return(values);
        }
    }

    private float[] Storage => _values ?? throw new ObjectDisposedException(nameof(FeatureMap));
}
