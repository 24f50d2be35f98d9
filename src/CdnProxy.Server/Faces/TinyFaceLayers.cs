using System.Numerics;
using System.Runtime.InteropServices;

namespace CdnProxy.Server.Faces;

/// <summary>
/// The layers of the tiny face detector, as TensorFlow defines them, on channels-last <see cref="FeatureMap"/>s.
/// Filters use TensorFlow's layout: a convolution's <c>[kernelY][kernelX][in][out]</c>, a depthwise filter's
/// <c>[kernelY][kernelX][channel]</c>. Every output channel is summed in the same order whatever the vector width,
/// so results are the same on every machine.
/// </summary>
public static class TinyFaceLayers
{
    /// <summary>The slope of the leaky ReLU for negative inputs.</summary>
    public const float LeakySlope = 0.1f;

    /// <summary>3×3 convolution, stride 1, no padding ("valid": the output is 2 px smaller each way), plus bias.</summary>
    public static FeatureMap Conv3x3Valid(FeatureMap input, ReadOnlySpan<float> filters, ReadOnlySpan<float> bias, bool leaky)
    {
        ArgumentNullException.ThrowIfNull(input);
        int inputs = input.Channels, outputs = bias.Length;
        Expect(filters.Length == 9 * inputs * outputs, "conv filters do not match the input channels");
        var output = new FeatureMap(input.Height - 2, input.Width - 2, outputs);
        var rowTaps = 3 * inputs * outputs;
        for (var y = 0; y < output.Height; y++)
        {
            for (var x = 0; x < output.Width; x++)
            {
                var sum = output.Pixel(y, x);
                bias.CopyTo(sum);
                for (var ky = 0; ky < 3; ky++)
                {
                    // Three adjacent pixels of a row are 3 × inputs adjacent values, in the filters' [kx][in] order.
                    var window = input.Row(y + ky).Slice(x * inputs, 3 * inputs);
                    AddProducts(sum, window, filters.Slice(ky * rowTaps, rowTaps));
                }
            }
        }

        if (leaky)
        {
            Leaky(output.Values);
        }

        return output;
    }

    /// <summary>3×3 depthwise convolution (one filter per channel), stride 1, zero padding of 1 ("same" size), no bias.</summary>
    public static FeatureMap Depthwise3x3Same(FeatureMap input, ReadOnlySpan<float> filters)
    {
        ArgumentNullException.ThrowIfNull(input);
        var channels = input.Channels;
        Expect(filters.Length == 9 * channels, "depthwise filters do not match the input channels");
        var output = new FeatureMap(input.Height, input.Width, channels);
        for (var y = 0; y < input.Height; y++)
        {
            for (var x = 0; x < input.Width; x++)
            {
                var sum = output.Pixel(y, x);
                sum.Clear();
                for (var ky = Math.Max(0, 1 - y); ky < 3 && y + ky - 1 < input.Height; ky++)
                {
                    for (var kx = Math.Max(0, 1 - x); kx < 3 && x + kx - 1 < input.Width; kx++)
                    {
                        AddProduct(sum, input.Pixel(y + ky - 1, x + kx - 1), filters.Slice(((ky * 3) + kx) * channels, channels));
                    }
                }
            }
        }

        return output;
    }

    /// <summary>1×1 convolution (a matrix product per pixel, filters <c>[in][out]</c>) plus bias.</summary>
    public static FeatureMap Pointwise(FeatureMap input, ReadOnlySpan<float> filters, ReadOnlySpan<float> bias, bool leaky)
    {
        ArgumentNullException.ThrowIfNull(input);
        int inputs = input.Channels, outputs = bias.Length;
        Expect(filters.Length == inputs * outputs, "pointwise filters do not match the input channels");
        var output = new FeatureMap(input.Height, input.Width, outputs);
        for (var y = 0; y < input.Height; y++)
        {
            for (var x = 0; x < input.Width; x++)
            {
                var sum = output.Pixel(y, x);
                bias.CopyTo(sum);
                AddProducts(sum, input.Pixel(y, x), filters);
            }
        }

        if (leaky)
        {
            Leaky(output.Values);
        }

        return output;
    }

    /// <summary>
    /// 2×2 max pooling with TensorFlow's "same" padding: ⌈size / stride⌉ outputs; windows reaching past the last row or
    /// column take the maximum of what is inside.
    /// </summary>
    public static FeatureMap MaxPool2x2(FeatureMap input, int stride)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stride, 2);
        var output = new FeatureMap((input.Height + stride - 1) / stride, (input.Width + stride - 1) / stride, input.Channels);
        for (var y = 0; y < output.Height; y++)
        {
            for (var x = 0; x < output.Width; x++)
            {
                int top = y * stride, left = x * stride;
                var max = output.Pixel(y, x);
                input.Pixel(top, left).CopyTo(max);
                for (var sy = top; sy < Math.Min(top + 2, input.Height); sy++)
                {
                    for (var sx = left; sx < Math.Min(left + 2, input.Width); sx++)
                    {
                        Maximum(max, input.Pixel(sy, sx));
                    }
                }
            }
        }

        return output;
    }

    /// <summary>Leaky ReLU in place: negative values are multiplied by <see cref="LeakySlope"/>.</summary>
    public static void Leaky(Span<float> values)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        var slope = new Vector<float>(LeakySlope);
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = Vector.Max(vectors[i], vectors[i] * slope);
        }

        for (var i = vectors.Length * Vector<float>.Count; i < values.Length; i++)
        {
            values[i] = Math.Max(values[i], values[i] * LeakySlope);
        }
    }

    /// <summary>
    /// <paramref name="sum"/>[o] += Σₜ <paramref name="window"/>[t] × <paramref name="weights"/>[t][o]: a vector of
    /// outputs is summed in a register over the whole window before it is stored.
    /// </summary>
    private static void AddProducts(Span<float> sum, ReadOnlySpan<float> window, ReadOnlySpan<float> weights)
    {
        int outputs = sum.Length, width = Vector<float>.Count, o = 0;
        for (; o + (2 * width) <= outputs; o += 2 * width)
        {
            // Two vectors at a time: whole cache lines of the weights, two independent sums in flight.
            var first = new Vector<float>(sum[o..]);
            var second = new Vector<float>(sum[(o + width)..]);
            for (var t = 0; t < window.Length; t++)
            {
                var row = weights[((t * outputs) + o)..];
                first += new Vector<float>(row) * window[t];
                second += new Vector<float>(row[width..]) * window[t];
            }

            first.CopyTo(sum[o..]);
            second.CopyTo(sum[(o + width)..]);
        }

        for (; o + width <= outputs; o += width)
        {
            var total = new Vector<float>(sum[o..]);
            for (var t = 0; t < window.Length; t++)
            {
                total += new Vector<float>(weights[((t * outputs) + o)..]) * window[t];
            }

            total.CopyTo(sum[o..]);
        }

        for (; o < outputs; o++)
        {
            var total = sum[o];
            for (var t = 0; t < window.Length; t++)
            {
                total += weights[(t * outputs) + o] * window[t];
            }

            sum[o] = total;
        }
    }

    /// <summary><paramref name="sum"/> += <paramref name="a"/> × <paramref name="b"/>, element by element.</summary>
    private static void AddProduct(Span<float> sum, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sums = MemoryMarshal.Cast<float, Vector<float>>(sum);
        var first = MemoryMarshal.Cast<float, Vector<float>>(a);
        var second = MemoryMarshal.Cast<float, Vector<float>>(b);
        for (var i = 0; i < sums.Length; i++)
        {
            sums[i] += first[i] * second[i];
        }

        for (var i = sums.Length * Vector<float>.Count; i < sum.Length; i++)
        {
            sum[i] += a[i] * b[i];
        }
    }

    private static void Maximum(Span<float> max, ReadOnlySpan<float> values)
    {
        var maxima = MemoryMarshal.Cast<float, Vector<float>>(max);
        var others = MemoryMarshal.Cast<float, Vector<float>>(values);
        for (var i = 0; i < maxima.Length; i++)
        {
            maxima[i] = Vector.Max(maxima[i], others[i]);
        }

        for (var i = maxima.Length * Vector<float>.Count; i < max.Length; i++)
        {
            max[i] = Math.Max(max[i], values[i]);
        }
    }

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
