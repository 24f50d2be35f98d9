using CdnProxy.Core.Transformations.Faces;

namespace CdnProxy.Server.Faces;

/// <summary>Builds the configured face detector (<c>CdnProxy:Faces</c>) and finds the OpenCV cascade file.</summary>
public static class FaceDetectorFactory
{
    /// <summary>The cascade used when none is configured, relative to an opencv-data folder (measured in docs/faces.md).</summary>
    public const string DefaultCascade = "lbpcascades/lbpcascade_frontalface_improved.xml";

    /// <summary>Where opencv-data's cascades are looked for: the Debian package's folder, then set-up's copy.</summary>
    /// <remarks>set-up's copy sits in the repository root, above the content root of a server run from its project folder.</remarks>
    public static IEnumerable<string> DataFolders(string contentRoot)
    {
        yield return "/usr/share/opencv4";
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            yield return Path.Combine(dir.FullName, ".native", "opencv-data");
        }
    }

    public static OpenCvFaceDetector CreateOpenCv(string cascadePath) => new(cascadePath, minNeighbours: 5);

    /// <summary>
    /// The detector. A configured <c>Cascade</c> that does not exist stops start-up; the default one missing (a machine
    /// without opencv-data) only warns: <c>p:face</c> then crops by attention, so the server still runs with nothing
    /// installed by hand.
    /// </summary>
    public static IFaceDetector Create(FaceOptions options, string contentRoot, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Detector == FaceDetectorKind.None)
        {
            return NoFaceDetector.Instance;
        }

        if (ResolveCascade(options, contentRoot) is { } cascade)
        {
            return CreateOpenCv(cascade);
        }

        if (!string.IsNullOrEmpty(options.Cascade))
        {
            throw new InvalidOperationException("CdnProxy:Faces:Cascade: the file does not exist");
        }

        Hosting.ServerLog.NoFaceCascade(logger);
        return NoFaceDetector.Instance;
    }

    /// <summary>The configured cascade, or the default one in the first data folder holding it; null when none exists.</summary>
    public static string? ResolveCascade(FaceOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.Cascade))
        {
            return File.Exists(options.Cascade) ? options.Cascade : null;
        }

        return DataFolders(contentRoot).Select(folder => Path.Combine(folder, DefaultCascade)).FirstOrDefault(File.Exists);
    }
}

/// <summary>Which face detector <c>p:face</c> uses.</summary>
public enum FaceDetectorKind
{
    OpenCv,
    None,
}

/// <summary><c>CdnProxy:Faces</c>: face detection for <c>t.resize(p:face)</c>.</summary>
public sealed class FaceOptions
{
    /// <summary><c>OpenCv</c> (cascade classifier, the default) or <c>None</c> (no faces: <c>p:face</c> crops by attention).</summary>
    public FaceDetectorKind Detector { get; init; } = FaceDetectorKind.OpenCv;

    /// <summary>An OpenCV cascade file; empty: opencv-data's <c>lbpcascade_frontalface_improved.xml</c> from /usr/share/opencv4 or .native/opencv-data.</summary>
    public string Cascade { get; init; } = string.Empty;
}
