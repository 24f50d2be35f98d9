namespace CdnProxy.Core.Transformations.Basic;

/// <summary>How <c>t.resize</c> fits the image into the requested box (sharp's names).</summary>
public enum ResizeFit
{
    Cover,
    Contain,
    Fill,
    Inside,
    Outside,
}
