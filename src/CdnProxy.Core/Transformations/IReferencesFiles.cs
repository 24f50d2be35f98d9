namespace CdnProxy.Core.Transformations;

/// <summary>
/// A transformation that reads other files of the same cloud and zone (a merge image). The fetch stage fetches
/// them with the original, before the render gate, and hands them over in <see cref="RenderContext.Files"/>.
/// </summary>
public interface IReferencesFiles
{
    /// <summary>The file ids (storage paths, possibly without extension) this step reads, nested steps included.</summary>
    IEnumerable<string> ReferencedFiles { get; }
}
