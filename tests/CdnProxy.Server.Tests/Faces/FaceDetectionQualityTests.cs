using System.Diagnostics;
using CdnProxy.Core.Transformations.Faces;
using CdnProxy.Server.Faces;
using Xunit.Abstractions;

namespace CdnProxy.Server.Tests.Faces;

/// <summary>
/// Precision and recall of the face detectors on the hand-labelled set (docs/faces.md has the figures this prints).
/// Each detector must find the frontal portraits and no face where there is none; the default must find the most.
/// </summary>
public sealed class FaceDetectionQualityTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Cascades => new()
    {
        { "haarcascades/haarcascade_frontalface_default.xml", 3 },
        { "haarcascades/haarcascade_frontalface_default.xml", 5 },
        { "haarcascades/haarcascade_frontalface_alt2.xml", 5 },
        { "lbpcascades/lbpcascade_frontalface_improved.xml", 5 },
    };

    [Theory]
    [MemberData(nameof(Cascades))]
    public void Measures_precision_and_recall(string cascade, int minNeighbours)
    {
        using var detector = new OpenCvFaceDetector(FaceLabels.Cascade(cascade), minNeighbours);
        var score = Measure(detector);
        output.WriteLine($"{cascade} minNeighbours={minNeighbours}: {score}");
        Assert.True(score.Labelled > 0);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(TinyFaceDetector.DefaultMinScore)]
    [InlineData(0.7)]
    public void Measures_the_tiny_network(double minScore)
    {
        var detector = new TinyFaceDetector(TinyFaceNetwork.Load(FaceLabels.TinyFaceModel()), minScore);
        var score = Measure(detector);
        output.WriteLine($"tiny face detector minScore={minScore}: {score}");
        Assert.True(score.Labelled > 0);
    }

    public static TheoryData<string> Detectors => [nameof(FaceDetectorKind.OpenCv), nameof(FaceDetectorKind.TinyDnn)];

    [Theory]
    [MemberData(nameof(Detectors))]
    public void Each_detector_finds_the_frontal_portraits_and_nothing_in_face_free_images(string kind)
    {
        var detector = Create(kind);
        using var owned = detector as IDisposable;
        var score = Measure(detector);
        output.WriteLine($"{kind}: {score}");
        Assert.Equal(0, score.FalsePositives);
        Assert.DoesNotContain(score.Missed, miss => miss.StartsWith("astronaut.png", StringComparison.Ordinal) || miss.StartsWith("grace_hopper.jpg", StringComparison.Ordinal));
        foreach (var (file, _) in FaceLabels.Load().Where(i => i.Faces.Count == 0))
        {
            using var image = VipsImage.NewFromFile(file); // as stored: grey, 16-bit, ICC and CMYK sources too
            Assert.Empty(FaceSearch.Find(image, detector, deadline: null));
        }
    }

    /// <summary>Why the network is the default (docs/faces.md): as precise as the best cascade, and it finds more faces.</summary>
    [Fact]
    public void The_default_detector_finds_more_faces_than_the_cascade_without_false_ones()
    {
        using var cascade = FaceDetectorFactory.CreateOpenCv(FaceLabels.Cascade(FaceDetectorFactory.DefaultCascade));
        var network = Measure(Create(new FaceOptions().Detector.ToString()));
        var opencv = Measure(cascade);
        Assert.Equal(FaceDetectorKind.TinyDnn, new FaceOptions().Detector);
        Assert.Equal(1.0, network.Precision);
        Assert.True(network.Recall > opencv.Recall, $"network: {network}; cascade: {opencv}");
    }

    private static IFaceDetector Create(string kind) => kind == nameof(FaceDetectorKind.TinyDnn)
        ? FaceDetectorFactory.CreateTinyDnn(FaceLabels.TinyFaceModel())
        : FaceDetectorFactory.CreateOpenCv(FaceLabels.Cascade(FaceDetectorFactory.DefaultCascade));

    private static DetectionScore Measure(IFaceDetector detector)
    {
        int labelled = 0, found = 0, matched = 0, calls = 0;
        var missed = new List<string>();
        var elapsed = TimeSpan.Zero;
        using (var first = VipsImage.NewFromFile(FaceLabels.Load()[0].File))
        {
            FaceSearch.Find(first, detector, deadline: null); // compiled and loaded before the clock runs
        }

        foreach (var (file, labels) in FaceLabels.Load())
        {
            using var loaded = VipsImage.NewFromFile(file);
            using var image = loaded.Colourspace(NetVips.Enums.Interpretation.Srgb).Cast(NetVips.Enums.BandFormat.Uchar).CopyMemory(); // decoded before the clock starts
            var clock = Stopwatch.StartNew();
            var faces = FaceSearch.Find(image, detector, deadline: null);
            elapsed += clock.Elapsed;
            calls++;
            labelled += labels.Count;
            found += faces.Count;
            var hits = labels.Where(label => faces.Any(face => face.Overlap(label) >= FaceLabels.MatchOverlap)).ToList();
            matched += hits.Count;
            missed.AddRange(labels.Except(hits).Select(label => $"{Path.GetFileName(file)} {label}"));
        }

        return new DetectionScore(labelled, found, matched, elapsed.TotalMilliseconds / calls, missed);
    }

    private sealed record DetectionScore(int Labelled, int Found, int Matched, double MillisecondsPerImage, IReadOnlyList<string> Missed)
    {
        public int FalsePositives => Found - Matched;

        public double Precision => Found == 0 ? 1 : (double)Matched / Found;

        public double Recall => (double)Matched / Labelled;

        public override string ToString() =>
            $"labelled {Labelled}, found {Found}, matched {Matched}, precision {Precision:0.00}, recall {Recall:0.00}, {MillisecondsPerImage:0.0} ms/image; missed: {string.Join("; ", Missed)}";
    }
}
