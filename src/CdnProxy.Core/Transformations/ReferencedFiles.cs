namespace CdnProxy.Core.Transformations;

/// <summary>
/// The bytes of the files a plan references besides its original (merge images, by file id), fetched before the
/// render gate. The buffers belong to whoever fetched them and stay valid for the render.
/// </summary>
public sealed class ReferencedFiles
{
    private readonly IReadOnlyDictionary<string, ReadOnlyMemory<byte>> _files;

    public ReferencedFiles(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> files)
    {
        _files = files;
    }

    /// <summary>No files: for plans that reference none.</summary>
    public static ReferencedFiles None { get; } = new(new Dictionary<string, ReadOnlyMemory<byte>>());

    /// <summary>The file ids held.</summary>
    public IEnumerable<string> FileIds => _files.Keys;

    /// <summary>The bytes of <paramref name="fileId"/>; the fetch stage guarantees every referenced id is present.</summary>
    public ReadOnlySpan<byte> Get(string fileId) => _files.TryGetValue(fileId, out var bytes)
        ? bytes.Span
        : throw new InvalidOperationException($"The referenced file '{fileId}' was not fetched before the render");
}
