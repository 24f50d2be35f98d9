using CdnProxy.Server.Faces;

namespace CdnProxy.Server.Tests.Faces;

/// <summary>The tiny face network's layers on cases small enough to compute by hand.</summary>
public sealed class TinyFaceLayersTests
{
    private static readonly IEqualityComparer<float> Close = EqualityComparer<float>.Create((a, b) => Math.Abs(a - b) < 1e-4f, v => 0);

    [Fact]
    public void A_valid_convolution_reads_filters_as_kernel_y_x_in_out()
    {
        // Two input channels: v(y,x) = 4y + x and 100 + v(y,x). Output 0 takes channel 0 at the top-left tap;
        // output 1 takes half of channel 1 at the tap in row 2, column 1.
        using var input = Map(4, 4, 2, (y, x, c) => (4 * y) + x + (c * 100));
        var filters = new float[3 * 3 * 2 * 2];
        filters[Tap(0, 0, input: 0, inputs: 2, output: 0, outputs: 2)] = 1;
        filters[Tap(2, 1, input: 1, inputs: 2, output: 1, outputs: 2)] = 0.5f;

        using var output = TinyFaceLayers.Conv3x3Valid(input, filters, [10, -100], leaky: true);

        Assert.Equal((2, 2, 2), (output.Height, output.Width, output.Channels));
        // (0,0): 0 + 10, leaky(0.5 × (100 + 9) − 100 = −45.5) = −4.55; (1,1): 5 + 10, leaky(0.5 × (100 + 14) − 100) = −4.3
        Assert.Equal([10, -4.55f], output.Pixel(0, 0).ToArray(), Close);
        Assert.Equal([11, -4.5f], output.Pixel(0, 1).ToArray(), Close);
        Assert.Equal([15, -4.3f], output.Pixel(1, 1).ToArray(), Close);
    }

    [Fact]
    public void A_depthwise_convolution_pads_with_zeros_and_keeps_channels_apart()
    {
        // Channel 0 = 1..9 summed over the 3×3 window; channel 1 = 1 everywhere, times 3 at the centre tap only.
        using var input = Map(3, 3, 2, (y, x, c) => c == 0 ? (3 * y) + x + 1 : 1);
        var filters = new float[3 * 3 * 2];
        for (var tap = 0; tap < 9; tap++)
        {
            filters[tap * 2] = 1;
        }

        filters[(4 * 2) + 1] = 3;

        using var output = TinyFaceLayers.Depthwise3x3Same(input, filters);

        Assert.Equal((3, 3, 2), (output.Height, output.Width, output.Channels));
        Assert.Equal([12, 3], output.Pixel(0, 0).ToArray()); // 1 + 2 + 4 + 5
        Assert.Equal([21, 3], output.Pixel(0, 1).ToArray()); // 1 + 2 + 3 + 4 + 5 + 6
        Assert.Equal([45, 3], output.Pixel(1, 1).ToArray());
        Assert.Equal([28, 3], output.Pixel(2, 2).ToArray()); // 5 + 6 + 8 + 9
    }

    [Fact]
    public void A_pointwise_convolution_is_a_matrix_product_per_pixel_over_vector_pairs_single_vectors_and_the_tail()
    {
        // Outputs = 3 vectors + 1 on any machine: a pair of vectors, one vector and a remainder are all summed.
        const int Inputs = 19;
        var outputs = (3 * System.Numerics.Vector<float>.Count) + 1;
        var last = outputs - 1;
        using var input = Map(1, 2, Inputs, (y, x, c) => c + 1 + (x * 1000));
        var filters = new float[Inputs * outputs];
        for (var i = 0; i < Inputs; i++)
        {
            filters[(i * outputs) + i] = 1;       // output i copies input i
            filters[(i * outputs) + last] = 0.5f; // the last output is half the sum of all inputs
        }

        var bias = Enumerable.Range(0, outputs).Select(o => o == Inputs ? -1f : 0f).ToArray();

        using var output = TinyFaceLayers.Pointwise(input, filters, bias, leaky: true);

        var first = output.Pixel(0, 0).ToArray();
        Assert.Equal(Enumerable.Range(1, Inputs).Select(v => (float)v), first[..Inputs]);
        Assert.Equal(-0.1f, first[Inputs], 6); // bias −1 through the leaky ReLU
        Assert.All(first[(Inputs + 1)..last], v => Assert.Equal(0, v));
        Assert.Equal(95, first[last]); // (1 + … + 19) / 2
        Assert.Equal(95 + 9500, output.Pixel(0, 1)[last]); // (1001 + … + 1019) / 2
    }

    [Fact]
    public void Max_pooling_uses_same_padding_for_odd_sizes()
    {
        using var input = Map(3, 3, 1, (y, x, c) => (3 * y) + x + 1);

        using var halved = TinyFaceLayers.MaxPool2x2(input, stride: 2);
        using var kept = TinyFaceLayers.MaxPool2x2(input, stride: 1);

        Assert.Equal((2, 2), (halved.Height, halved.Width));
        Assert.Equal([5, 6, 8, 9], halved.Values.ToArray());
        Assert.Equal((3, 3), (kept.Height, kept.Width));
        Assert.Equal([5, 6, 6, 8, 9, 9, 8, 9, 9], kept.Values.ToArray());
    }

    [Fact]
    public void Leaky_relu_scales_only_negative_values()
    {
        var values = Enumerable.Range(-10, 21).Select(v => (float)v).ToArray();

        TinyFaceLayers.Leaky(values);

        Assert.Equal(Enumerable.Range(-10, 21).Select(v => v < 0 ? v * 0.1f : v), values);
    }

    private static int Tap(int ky, int kx, int input, int inputs, int output, int outputs) =>
        ((((ky * 3) + kx) * inputs) + input) * outputs + output;

    private static FeatureMap Map(int height, int width, int channels, Func<int, int, int, float> value)
    {
        var map = new FeatureMap(height, width, channels);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    map.Pixel(y, x)[c] = value(y, x, c);
                }
            }
        }

        return map;
    }
}
