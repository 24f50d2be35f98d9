namespace CdnProxy.Core.Rendering;

/// <summary>Decode-time size: fit inside <see cref="Width"/> × <see cref="Height"/>, or stretch to it when <see cref="Stretch"/>.</summary>
/// <param name="Width">Target width; a huge value when only the height constrains.</param>
/// <param name="Height">Target height; a huge value when only the width constrains.</param>
/// <param name="Stretch">Ignore the aspect ratio.</param>
public sealed record LoadTarget(int Width, int Height, bool Stretch)
{
    /// <summary>Stands for "not constrained" in one dimension.</summary>
    public const int Unbounded = 10_000_000;
}
