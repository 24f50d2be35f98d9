namespace CdnProxy.Core.Transformations.Basic;

/// <summary>How <see cref="Extend"/> fills the new pixels (OpenCV border names).</summary>
public enum ExtendBorder
{
    Constant,
    Replicate,
    Reflect,
    Wrap,
}
