using System.Text.Json;
using CdnProxy.Core.Transformations.Faces;
using CdnProxy.Server.Faces;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Faces;

/// <summary>The hand-labelled set in <c>tests/assets/images/faces/labels.json</c>, and the cascades and weights setup.sh fetches.</summary>
internal static class FaceLabels
{
    public const double MatchOverlap = 0.3;

    public static IReadOnlyList<(string File, IReadOnlyList<FaceBox> Faces)> Load()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestImages.AssetsFolder, "faces", "labels.json")));
        return [.. json.RootElement.GetProperty("images").EnumerateArray().Select(image => (
            Path.Combine(TestImages.RepositoryRoot, image.GetProperty("file").GetString()!),
            (IReadOnlyList<FaceBox>)[.. image.GetProperty("faces").EnumerateArray().Select(b => new FaceBox(
                b[0].GetInt32(), b[1].GetInt32(), b[2].GetInt32(), b[3].GetInt32()))]))];
    }

    public static IReadOnlyList<FaceBox> LabelsOf(string fileName) =>
        Load().Single(i => Path.GetFileName(i.File) == fileName).Faces;

    /// <summary>A cascade from the opencv-data that scripts/setup.sh --for-tests unpacks into .native/.</summary>
    public static string Cascade(string relativePath)
    {
        var path = Path.Combine(TestImages.RepositoryRoot, ".native", "opencv-data", relativePath);
        return File.Exists(path) ? path : throw new FileNotFoundException("Run scripts/setup.sh --for-tests (opencv-data)", path);
    }

    /// <summary>The tiny face detector's weights manifest that scripts/setup.sh --for-tests copies from face-api into .native/.</summary>
    public static string TinyFaceModel()
    {
        var path = Path.Combine(TestImages.RepositoryRoot, ".native", "face-api", FaceDetectorFactory.TinyFaceManifest);
        return File.Exists(path) ? path : throw new FileNotFoundException("Run scripts/setup.sh --for-tests (face-api)", path);
    }
}
