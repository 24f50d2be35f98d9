namespace CdnProxy.Core.Transformations.Faces;

/// <summary>
/// Finds faces in an image that <see cref="FaceSearch"/> has already made small (longest side at most
/// <see cref="FaceSearch.MaxSide"/>, 8-bit, one band of luminance — or sRGB when <see cref="Input"/> asks for it), so
/// one call costs a bounded time and memory whatever the source. Runs on the render's own worker thread, inside its
/// deadline. Implementations are thread-safe: renders call them concurrently.
/// </summary>
public interface IFaceDetector
{
    /// <summary>The copy <see cref="FaceSearch"/> makes for this detector: one band of luminance unless it needs colour.</summary>
    FaceSearchInput Input => FaceSearchInput.Luminance;

    /// <summary>The faces in <paramref name="luminance"/>, in its pixels; empty when there are none.</summary>
    IReadOnlyList<FaceBox> Detect(VipsImage luminance);

    /// <summary>
    /// As <see cref="Detect(VipsImage)"/>, for a detector that works in steps and checks <paramref name="deadline"/>
    /// between them; by default the deadline is only checked around the call (by <see cref="FaceSearch"/>).
    /// </summary>
    IReadOnlyList<FaceBox> Detect(VipsImage luminance, RenderDeadline? deadline) => Detect(luminance);
}

/// <summary>What the small copy <see cref="FaceSearch"/> hands a detector holds.</summary>
public enum FaceSearchInput
{
    /// <summary>One 8-bit band of luminance (cascade classifiers).</summary>
    Luminance,

    /// <summary>Three 8-bit sRGB bands (networks trained on colour photos).</summary>
    Srgb,
}

/// <summary>The detector when face detection is switched off: never finds a face (<c>p:face</c> then crops by attention).</summary>
public sealed class NoFaceDetector : IFaceDetector
{
    public static NoFaceDetector Instance { get; } = new();

    public IReadOnlyList<FaceBox> Detect(VipsImage luminance) => [];
}
