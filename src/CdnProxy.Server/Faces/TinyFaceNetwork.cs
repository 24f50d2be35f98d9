using CdnProxy.Core.Transformations;

namespace CdnProxy.Server.Faces;

/// <summary>
/// The forward pass of face-api's tiny face detector (a Tiny-YOLOv2 with depthwise-separable convolutions, batch norm
/// folded into the biases): a 3×3 convolution to 16 channels, five separable 3×3 convolutions doubling the channels
/// to 512, each followed by a 2×2 max pool (stride 2, the last stride 1), all with leaky ReLU; then a 1×1 convolution
/// to <see cref="AnchorCount"/> boxes × (x, y, w, h, score) per cell. A 416 px input gives a 13×13 grid.
/// The weights are checked against this architecture when loaded, so a mismatched file fails at start-up.
/// </summary>
public sealed class TinyFaceNetwork
{
    /// <summary>Boxes predicted per grid cell.</summary>
    public const int AnchorCount = 5;

    /// <summary>Values per box: x, y, width, height, score.</summary>
    public const int BoxValues = 5;

    private static readonly int[] Widths = [3, 16, 32, 64, 128, 256, 512];

    private readonly WeightTensor _firstFilters;
    private readonly WeightTensor _firstBias;
    private readonly (WeightTensor Depthwise, WeightTensor Pointwise, WeightTensor Bias)[] _separable;
    private readonly WeightTensor _headFilters;
    private readonly WeightTensor _headBias;

    public TinyFaceNetwork(IReadOnlyDictionary<string, WeightTensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _firstFilters = Take(weights, "conv0/filters", 3, 3, Widths[0], Widths[1]);
        _firstBias = Take(weights, "conv0/bias", Widths[1]);
        _separable = [.. Enumerable.Range(1, Widths.Length - 2).Select(layer => (
            Take(weights, $"conv{layer}/depthwise_filter", 3, 3, Widths[layer], 1),
            Take(weights, $"conv{layer}/pointwise_filter", 1, 1, Widths[layer], Widths[layer + 1]),
            Take(weights, $"conv{layer}/bias", Widths[layer + 1])))];
        _headFilters = Take(weights, "conv8/filters", 1, 1, Widths[^1], AnchorCount * BoxValues);
        _headBias = Take(weights, "conv8/bias", AnchorCount * BoxValues);
    }

    /// <summary>Loads a TensorFlow.js manifest (e.g. face-api's <c>tiny_face_detector_model-weights_manifest.json</c>).</summary>
    public static TinyFaceNetwork Load(string manifestPath) => new(TfjsWeights.Load(manifestPath));

    /// <summary>
    /// The raw grid for <paramref name="input"/> (3 channels, mean-subtracted and scaled as the model was trained):
    /// <see cref="AnchorCount"/> × <see cref="BoxValues"/> channels per cell. The deadline is checked between layers.
    /// </summary>
    public FeatureMap Run(FeatureMap input, RenderDeadline? deadline)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Channels != Widths[0] || input.Height < 3 || input.Width < 3)
        {
            throw new ArgumentException("Expected an RGB input of at least 3×3", nameof(input));
        }

        var current = TinyFaceLayers.Conv3x3Valid(input, _firstFilters.Values, _firstBias.Values, leaky: true);
        current = Then(current, map => TinyFaceLayers.MaxPool2x2(map, stride: 2), deadline);
        for (var layer = 0; layer < _separable.Length; layer++)
        {
            var (depthwise, pointwise, bias) = _separable[layer];
            current = Then(current, map => TinyFaceLayers.Depthwise3x3Same(map, depthwise.Values), deadline);
            current = Then(current, map => TinyFaceLayers.Pointwise(map, pointwise.Values, bias.Values, leaky: true), deadline);
            var stride = layer < _separable.Length - 1 ? 2 : 1;
            current = Then(current, map => TinyFaceLayers.MaxPool2x2(map, stride), deadline);
        }

        return Then(current, map => TinyFaceLayers.Pointwise(map, _headFilters.Values, _headBias.Values, leaky: false), deadline);
    }

    /// <summary>The next layer on <paramref name="map"/>, which is then given back; nothing runs past the deadline.</summary>
    private static FeatureMap Then(FeatureMap map, Func<FeatureMap, FeatureMap> layer, RenderDeadline? deadline)
    {
        using (map)
        {
            deadline?.ThrowIfExpired();
            return layer(map);
        }
    }

    private static WeightTensor Take(IReadOnlyDictionary<string, WeightTensor> weights, string name, params int[] shape)
    {
        if (!weights.TryGetValue(name, out var tensor))
        {
            throw new InvalidDataException($"Tiny face model: {name} is missing");
        }

        if (!tensor.Shape.SequenceEqual(shape))
        {
            throw new InvalidDataException($"Tiny face model: {name} has shape [{string.Join(", ", tensor.Shape)}], expected [{string.Join(", ", shape)}]");
        }

        return tensor;
    }
}
