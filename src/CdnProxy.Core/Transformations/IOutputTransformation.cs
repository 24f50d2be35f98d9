namespace CdnProxy.Core.Transformations;

/// <summary>A transformation that changes how the result is encoded (format, quality) rather than its pixels.</summary>
public interface IOutputTransformation
{
    /// <summary>The output settings after this step, given those before it.</summary>
    OutputSettings Apply(OutputSettings current);
}
