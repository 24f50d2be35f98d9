namespace CdnProxy.Core.Transformations.Faces;

/// <summary>
/// Finds faces in an image that <see cref="FaceSearch"/> has already made small (longest side at most
/// <see cref="FaceSearch.MaxSide"/>, 8-bit, one band of luminance), so one call costs a bounded time and memory
/// whatever the source. Runs on the render's own worker thread, inside its deadline. Implementations are
/// thread-safe: renders call them concurrently.
/// </summary>
public interface IFaceDetector
{
    /// <summary>The faces in <paramref name="luminance"/>, in its pixels; empty when there are none.</summary>
    IReadOnlyList<FaceBox> Detect(VipsImage luminance);
}

/// <summary>The detector when face detection is switched off: never finds a face (<c>p:face</c> then crops by attention).</summary>
public sealed class NoFaceDetector : IFaceDetector
{
    public static NoFaceDetector Instance { get; } = new();

    public IReadOnlyList<FaceBox> Detect(VipsImage luminance) => [];
}
