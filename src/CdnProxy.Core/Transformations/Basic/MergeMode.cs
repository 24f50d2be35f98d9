namespace CdnProxy.Core.Transformations.Basic;

/// <summary>How <c>t.merge</c> layers the merge image and the base.</summary>
public enum MergeMode
{
    /// <summary>The merge image on top of the base.</summary>
    Overlay,

    /// <summary>The merge image beneath the base (seen through its transparent parts).</summary>
    Underlay,

    /// <summary>The merge image stretched into each of the given rectangles and polygons, on top of the base.</summary>
    Wrap,
}
