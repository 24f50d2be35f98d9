using CdnProxy.Core.Transformations.Faces;
using OpenCvSharp;

namespace CdnProxy.Server.Faces;

/// <summary>
/// Faces by OpenCV's cascade classifier (as thumbor does) on the small luminance copy <see cref="FaceSearch"/> makes.
/// A classifier is not thread-safe, so each render thread gets its own (a few MB each, render threads are few).
/// Boxes smaller than <see cref="MinFaceFraction"/> of the image's shorter side are not looked for: they are rarely
/// what a crop should centre on, and tiny windows are where textures (petals, foliage) pass for faces.
/// </summary>
public sealed class OpenCvFaceDetector : IFaceDetector, IDisposable
{
    /// <summary>The smallest face looked for, as a fraction of the shorter side of the image searched.</summary>
    public const double MinFaceFraction = 0.08;

    private readonly string _cascadePath;
    private readonly int _minNeighbours;
    private readonly ThreadLocal<CascadeClassifier> _classifiers;

    /// <param name="cascadePath">An OpenCV cascade file (Haar or LBP), e.g. Debian's opencv-data <c>haarcascade_frontalface_alt2.xml</c>.</param>
    /// <param name="minNeighbours">Overlapping detections a face needs to count: higher finds fewer false faces and misses more.</param>
    public OpenCvFaceDetector(string cascadePath, int minNeighbours = 5)
    {
        if (!File.Exists(cascadePath))
        {
            throw new FileNotFoundException("Face cascade not found (scripts/setup.sh installs opencv-data)", cascadePath);
        }

        _cascadePath = cascadePath;
        _minNeighbours = minNeighbours;
        // OpenCV's own worker threads would compete with the render workers, which already use every core.
        Cv2.SetNumThreads(1);
        _classifiers = new ThreadLocal<CascadeClassifier>(Load, trackAllValues: true);
        _ = _classifiers.Value; // fails at start-up, not in a render, when the file is not a cascade
    }

    public IReadOnlyList<FaceBox> Detect(VipsImage luminance)
    {
        ArgumentNullException.ThrowIfNull(luminance);
        if (luminance.Bands != 1 || luminance.Format != NetVips.Enums.BandFormat.Uchar)
        {
            throw new ArgumentException("Expected one 8-bit band", nameof(luminance));
        }

        var pixels = luminance.WriteToMemory<byte>();
        using var mat = Mat.FromPixelData(luminance.Height, luminance.Width, MatType.CV_8UC1, pixels);
        using var equalised = new Mat();
        Cv2.EqualizeHist(mat, equalised);
        var min = (int)Math.Max(24, Math.Min(luminance.Width, luminance.Height) * MinFaceFraction);
        var found = _classifiers.Value!.DetectMultiScale(
            equalised, scaleFactor: 1.1, minNeighbors: _minNeighbours, flags: HaarDetectionTypes.DoCannyPruning, minSize: new Size(min, min));
        return [.. found.Select(r => new FaceBox(r.X, r.Y, r.Width, r.Height))];
    }

    public void Dispose()
    {
        foreach (var classifier in _classifiers.Values)
        {
            classifier.Dispose();
        }

        _classifiers.Dispose();
    }

    private CascadeClassifier Load()
    {
        var classifier = new CascadeClassifier(_cascadePath);
        if (classifier.Empty())
        {
            classifier.Dispose();
            throw new InvalidOperationException($"Not an OpenCV cascade: {_cascadePath}");
        }

        return classifier;
    }
}
