namespace CdnProxy.Core.Origins;

/// <summary>
/// Bytes written to a writable origin's staging area, not visible to any reader. Disposing it without a commit
/// discards it (a temporary file removed, a staging object deleted).
/// </summary>
public interface IStagedFile : IAsyncDisposable
{
    /// <summary>How many bytes were staged.</summary>
    long Length { get; }

    /// <summary>A seekable, read-only view of the staged bytes (to sniff them and read the image header).</summary>
    Stream OpenRead();
}
