using CdnProxy.Core.Transformations;
using CdnProxy.Core.Transformations.Faces;

namespace CdnProxy.Server.Faces;

/// <summary>
/// Faces by face-api's tiny face detector (<see cref="TinyFaceNetwork"/>), run by our own forward pass on the small sRGB
/// copy <see cref="FaceSearch"/> makes. The copy is scaled so its longest side is <see cref="InputSize"/>, padded with
/// black at the right or bottom to a square, and normalised as the model was trained (minus the mean colour, / 255);
/// the 13×13 grid of anchor boxes is decoded as in YOLOv2 and overlapping boxes are merged (non-maximum suppression).
/// Fixed input size: one detection costs the same time and memory (≈ 11 MB of activations) whatever the image.
/// The network's weights are read-only, so one instance serves every render thread.
/// </summary>
public sealed class TinyFaceDetector : IFaceDetector
{
    /// <summary>The network's input side (face-api's default; a multiple of 32).</summary>
    public const int InputSize = 416;

    /// <summary>Boxes scoring less are not faces (face-api's default).</summary>
    public const double DefaultMinScore = 0.5;

    /// <summary>Of two boxes overlapping more (intersection over union), only the higher-scoring one is kept.</summary>
    public const double SuppressOverlap = 0.4;

    /// <summary>The anchor boxes' sizes in grid cells (width, height), as the model was trained.</summary>
    private static readonly (double Width, double Height)[] Anchors =
        [(1.603231, 2.094468), (6.041143, 7.080126), (2.882459, 3.518061), (4.266906, 5.178857), (9.041765, 10.66308)];

    /// <summary>The mean colour of the training photos, subtracted from each pixel (R, G, B).</summary>
    private static readonly float[] MeanRgb = [117.001f, 114.697f, 97.404f];

    private readonly TinyFaceNetwork _network;
    private readonly double _minScore;

    public TinyFaceDetector(TinyFaceNetwork network, double minScore = DefaultMinScore)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minScore, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(minScore, 1);
        _network = network;
        _minScore = minScore;
    }

    public FaceSearchInput Input => FaceSearchInput.Srgb;

    public IReadOnlyList<FaceBox> Detect(VipsImage luminance) => Detect(luminance, deadline: null);

    public IReadOnlyList<FaceBox> Detect(VipsImage luminance, RenderDeadline? deadline)
    {
        ArgumentNullException.ThrowIfNull(luminance);
        var image = luminance; // FaceSearch hands this detector sRGB (Input), whatever the port's parameter is called
        if (image.Bands != 3 || image.Format != NetVips.Enums.BandFormat.Uchar)
        {
            throw new ArgumentException("Expected three 8-bit sRGB bands", nameof(luminance));
        }

        var longest = Math.Max(image.Width, image.Height);
        using var input = Normalise(image, longest);
        using var grid = _network.Run(input, deadline);
        var candidates = Decode(grid);
        var toImage = (double)longest / InputSize;
        return [.. Suppress(candidates).Select(box => Clip(box, toImage, image.Width, image.Height)).OfType<FaceBox>()];
    }

    /// <summary>The network's input: the image scaled into the square's top-left, black elsewhere, minus the mean, / 255.</summary>
    private static FeatureMap Normalise(VipsImage image, int longest)
    {
        using var scaled = image.Resize((double)InputSize / longest, NetVips.Enums.Kernel.Linear);
        using var fitted = scaled.Width > InputSize || scaled.Height > InputSize
            ? scaled.ExtractArea(0, 0, Math.Min(scaled.Width, InputSize), Math.Min(scaled.Height, InputSize))
            : scaled.Copy();
        using var square = fitted.Embed(0, 0, InputSize, InputSize, extend: NetVips.Enums.Extend.Black);
        var pixels = square.WriteToMemory<byte>();
        var input = new FeatureMap(InputSize, InputSize, 3);
        var values = input.Values;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (pixels[i] - MeanRgb[i % 3]) / 255f;
        }

        return input;
    }

    /// <summary>Every box scoring at least the minimum, in input pixels (x, y, width, height).</summary>
    private List<Candidate> Decode(FeatureMap grid)
    {
        var found = new List<Candidate>();
        double cell = (double)InputSize / grid.Width;
        for (var row = 0; row < grid.Height; row++)
        {
            for (var column = 0; column < grid.Width; column++)
            {
                var values = grid.Pixel(row, column);
                for (var anchor = 0; anchor < TinyFaceNetwork.AnchorCount; anchor++)
                {
                    var box = values.Slice(anchor * TinyFaceNetwork.BoxValues, TinyFaceNetwork.BoxValues);
                    var score = Sigmoid(box[4]);
                    if (score < _minScore)
                    {
                        continue;
                    }

                    double centreX = (column + Sigmoid(box[0])) * cell, centreY = (row + Sigmoid(box[1])) * cell;
                    double width = Math.Exp(box[2]) * Anchors[anchor].Width * cell, height = Math.Exp(box[3]) * Anchors[anchor].Height * cell;
                    found.Add(new Candidate(score, centreX - (width / 2), centreY - (height / 2), width, height));
                }
            }
        }

        return found;
    }

    /// <summary>Best first; a box overlapping a better one by more than <see cref="SuppressOverlap"/> is dropped.</summary>
    private static List<Candidate> Suppress(List<Candidate> candidates)
    {
        var kept = new List<Candidate>();
        foreach (var candidate in candidates.OrderByDescending(c => c.Score))
        {
            if (kept.All(better => better.Overlap(candidate) <= SuppressOverlap))
            {
                kept.Add(candidate);
            }
        }

        return kept;
    }

    /// <summary>The box in the image's pixels, cut to the image; null when nothing of it is inside.</summary>
    private static FaceBox? Clip(Candidate box, double scale, int width, int height)
    {
        var left = Math.Clamp((int)Math.Floor(box.X * scale), 0, width);
        var top = Math.Clamp((int)Math.Floor(box.Y * scale), 0, height);
        var right = Math.Clamp((int)Math.Ceiling((box.X + box.Width) * scale), 0, width);
        var bottom = Math.Clamp((int)Math.Ceiling((box.Y + box.Height) * scale), 0, height);
        return right > left && bottom > top ? new FaceBox(left, top, right - left, bottom - top) : null;
    }

    private static double Sigmoid(float value) => 1 / (1 + Math.Exp(-value));

    /// <summary>A box found by the network, in input pixels.</summary>
    private readonly record struct Candidate(double Score, double X, double Y, double Width, double Height)
    {
        /// <summary>Intersection over union.</summary>
        public double Overlap(Candidate other)
        {
            var width = Math.Min(X + Width, other.X + other.Width) - Math.Max(X, other.X);
            var height = Math.Min(Y + Height, other.Y + other.Height) - Math.Max(Y, other.Y);
            if (width <= 0 || height <= 0)
            {
                return 0;
            }

            var shared = width * height;
            return shared / ((Width * Height) + (other.Width * other.Height) - shared);
        }
    }
}
