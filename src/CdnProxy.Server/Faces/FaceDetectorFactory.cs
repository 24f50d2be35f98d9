using System.Runtime.CompilerServices;
using CdnProxy.Core.Transformations.Faces;

namespace CdnProxy.Server.Faces;

/// <summary>Builds the configured face detector (<c>CdnProxy:Faces</c>) and finds the files it needs.</summary>
public static class FaceDetectorFactory
{
    /// <summary>The cascade used when none is configured, relative to an opencv-data folder (measured in docs/faces.md).</summary>
    public const string DefaultCascade = "lbpcascades/lbpcascade_frontalface_improved.xml";

    /// <summary>The tiny face detector's manifest in face-api's model folder (set-up copies it to .native/face-api).</summary>
    public const string TinyFaceManifest = "tiny_face_detector_model-weights_manifest.json";

    /// <summary>Where opencv-data's cascades are looked for: the Debian package's folder, then set-up's copy.</summary>
    public static IEnumerable<string> DataFolders(string contentRoot) =>
        NativeFolders(contentRoot, "opencv-data").Prepend("/usr/share/opencv4");

    /// <summary>Set-up's copies of <paramref name="name"/> in <c>.native/</c>, from the content root upwards.</summary>
    /// <remarks>set-up's copy sits in the repository root, above the content root of a server run from its project folder.</remarks>
    public static IEnumerable<string> NativeFolders(string contentRoot, string name)
    {
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            yield return Path.Combine(dir.FullName, ".native", name);
        }
    }

    // Never inlined: compiling Create must not load OpenCV's bindings when the tiny DNN (the default) or nothing detects.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static OpenCvFaceDetector CreateOpenCv(string cascadePath) => new(cascadePath, minNeighbours: 5);

    /// <summary>The tiny face detector with the weights of <paramref name="manifestPath"/>; damaged weights throw.</summary>
    public static TinyFaceDetector CreateTinyDnn(string manifestPath) => new(TinyFaceNetwork.Load(manifestPath));

    /// <summary>
    /// The detector. A configured <c>Cascade</c> or <c>Model</c> that does not exist, or weights that do not load, stop
    /// start-up; the default files missing (a machine without opencv-data or face-api's model) only warn: <c>p:face</c>
    /// then crops by attention, so the server still runs with nothing installed by hand.
    /// </summary>
    public static IFaceDetector Create(FaceOptions options, string contentRoot, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (options.Detector)
        {
            case FaceDetectorKind.None:
                return NoFaceDetector.Instance;
            case FaceDetectorKind.TinyDnn:
                if (ResolveModel(options, contentRoot) is { } model)
                {
                    return CreateTinyDnn(model);
                }

                ThrowIfConfigured(options.Model, "Model");
                Hosting.ServerLog.NoTinyFaceModel(logger);
                return NoFaceDetector.Instance;
            case FaceDetectorKind.OpenCv:
                if (ResolveCascade(options, contentRoot) is { } cascade)
                {
                    return CreateOpenCv(cascade);
                }

                ThrowIfConfigured(options.Cascade, "Cascade");
                Hosting.ServerLog.NoFaceCascade(logger);
                return NoFaceDetector.Instance;
            default:
                throw new InvalidOperationException($"CdnProxy:Faces:Detector: {options.Detector} is not a detector");
        }
    }

    /// <summary>The configured cascade, or the default one in the first data folder holding it; null when none exists.</summary>
    public static string? ResolveCascade(FaceOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Resolve(options.Cascade, DataFolders(contentRoot).Select(folder => Path.Combine(folder, DefaultCascade)));
    }

    /// <summary>The configured tiny face model, or set-up's copy; null when none exists.</summary>
    public static string? ResolveModel(FaceOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Resolve(options.Model, NativeFolders(contentRoot, "face-api").Select(folder => Path.Combine(folder, TinyFaceManifest)));
    }

    private static string? Resolve(string configured, IEnumerable<string> defaults) =>
        string.IsNullOrEmpty(configured)
            ? defaults.FirstOrDefault(File.Exists)
            : File.Exists(configured) ? configured : null;

    private static void ThrowIfConfigured(string configured, string option)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            throw new InvalidOperationException($"CdnProxy:Faces:{option}: the file does not exist");
        }
    }
}

/// <summary>Which face detector <c>p:face</c> uses.</summary>
public enum FaceDetectorKind
{
    /// <summary>OpenCV's cascade classifier (<see cref="OpenCvFaceDetector"/>).</summary>
    OpenCv,

    /// <summary>face-api's tiny face detector, a small convolutional network (<see cref="TinyFaceDetector"/>).</summary>
    TinyDnn,

    /// <summary>No detection: <c>p:face</c> crops by attention.</summary>
    None,
}

/// <summary><c>CdnProxy:Faces</c>: face detection for <c>t.resize(p:face)</c>.</summary>
public sealed class FaceOptions
{
    /// <summary>
    /// <c>TinyDnn</c> (small network, the default: as precise as the best cascade and finds twice the faces, docs/faces.md),
    /// <c>OpenCv</c> (cascade classifier) or <c>None</c> (no faces: <c>p:face</c> crops by attention).
    /// </summary>
    public FaceDetectorKind Detector { get; set; } = FaceDetectorKind.TinyDnn;

    /// <summary>An OpenCV cascade file; empty: opencv-data's <c>lbpcascade_frontalface_improved.xml</c> from /usr/share/opencv4 or .native/opencv-data.</summary>
    public string Cascade { get; set; } = string.Empty;

    /// <summary>The tiny face detector's TensorFlow.js weights manifest; empty: .native/face-api's (scripts/setup.sh).</summary>
    public string Model { get; set; } = string.Empty;
}
