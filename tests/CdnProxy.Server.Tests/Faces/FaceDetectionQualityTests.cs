using System.Diagnostics;
using CdnProxy.Core.Transformations.Faces;
using CdnProxy.Server.Faces;
using Xunit.Abstractions;

namespace CdnProxy.Server.Tests.Faces;

/// <summary>
/// Precision and recall of the face detectors on the hand-labelled set (docs/faces.md has the figures this prints).
/// The shipped default must find every frontal face and no face where there is none.
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

    [Fact]
    public void The_default_finds_the_frontal_face_and_nothing_in_face_free_images()
    {
        using var detector = FaceDetectorFactory.CreateOpenCv(FaceLabels.Cascade(FaceDetectorFactory.DefaultCascade));
        var score = Measure(detector);
        output.WriteLine($"default: {score}");
        Assert.Equal(0, score.FalsePositives);
        Assert.True(score.Recall >= 0.5, score.ToString());
        foreach (var (file, labels) in FaceLabels.Load().Where(i => i.Faces.Count == 0))
        {
            using var image = VipsImage.NewFromFile(file);
            Assert.Empty(FaceSearch.Find(image, detector, deadline: null));
        }
    }

    [Fact]
    public void The_tiny_network_finds_the_frontal_face_and_nothing_in_face_free_images()
    {
        var detector = FaceDetectorFactory.CreateTinyDnn(FaceLabels.TinyFaceModel());
        var score = Measure(detector);
        output.WriteLine($"tiny face detector: {score}");
        Assert.Equal(0, score.FalsePositives);
        Assert.True(score.Recall >= 0.5, score.ToString());
    }

    private static DetectionScore Measure(IFaceDetector detector)
    {
        int labelled = 0, found = 0, matched = 0, calls = 0;
        var elapsed = TimeSpan.Zero;
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
            matched += labels.Count(label => faces.Any(face => face.Overlap(label) >= FaceLabels.MatchOverlap));
        }

        return new DetectionScore(labelled, found, matched, elapsed.TotalMilliseconds / calls);
    }

    private sealed record DetectionScore(int Labelled, int Found, int Matched, double MillisecondsPerImage)
    {
        public int FalsePositives => Found - Matched;

        public double Precision => Found == 0 ? 1 : (double)Matched / Found;

        public double Recall => (double)Matched / Labelled;

        public override string ToString() =>
            $"labelled {Labelled}, found {Found}, matched {Matched}, precision {Precision:0.00}, recall {Recall:0.00}, {MillisecondsPerImage:0.0} ms/image";
    }
}
