namespace CdnProxy.Core.Transformations.Basic;

/// <summary>How <see cref="Resize"/> fits the image into the requested box (sharp's names).</summary>
public enum ResizeFit
{
    Cover,
    Contain,
    Fill,
    Inside,
    Outside,
}
