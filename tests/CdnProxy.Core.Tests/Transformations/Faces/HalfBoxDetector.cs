using CdnProxy.Core.Transformations.Faces;

namespace CdnProxy.Core.Tests.Transformations.Faces;

/// <summary>A detector that "finds" one face, the top-left quarter of what it is shown, and remembers the size it saw.</summary>
internal sealed class HalfBoxDetector : IFaceDetector
{
    public (int Width, int Height) Seen { get; private set; }

    public IReadOnlyList<FaceBox> Detect(VipsImage luminance)
    {
        ArgumentNullException.ThrowIfNull(luminance);
        Seen = (luminance.Width, luminance.Height);
        return [new(0, 0, luminance.Width / 2, luminance.Height / 2)];
    }
}
