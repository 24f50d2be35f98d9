using CdnProxy.Core.Assets;

namespace CdnProxy.Core.Origins;

/// <summary>
/// The write side of a writable origin. Nothing is ever visible half-written: bytes go to a staging area first
/// (<see cref="StageAsync"/>), are checked there, and become visible in one atomic step (<see cref="CommitAsync"/>).
/// Each file's <see cref="AssetRecord"/> (tags, metadata, access, facts) lives beside it as a sidecar object.
/// Paths are relative and already validated.
/// </summary>
public interface IOriginWriter
{
    /// <summary>Streams <paramref name="content"/> into staging, failing with <c>SourceTooLarge</c> once it passes <paramref name="maxBytes"/>.</summary>
    Task<IStagedFile> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="staged"/> the file at <paramref name="filePath"/>, with its record, atomically. False
    /// (and nothing changed) when a file is there already and <paramref name="overwrite"/> is false.
    /// </summary>
    Task<bool> CommitAsync(IStagedFile staged, string filePath, AssetRecord record, bool overwrite, CancellationToken cancellationToken);

    /// <summary>The file at <paramref name="filePath"/> with its record (null for files stored without CdnProxy), or null when absent.</summary>
    Task<StoredFile?> FindAsync(string filePath, CancellationToken cancellationToken);

    /// <summary>
    /// Changes the record of an existing file while holding its lock: <paramref name="change"/> gets the file as it is
    /// then, so two changes of different fields at once both stay (a change of tags made at the same time as a change to
    /// private used to write the old access back). A change of access takes effect for readers atomically. Returns the
    /// file as changed, or null when there is none.
    /// </summary>
    Task<StoredFile?> UpdateRecordAsync(string filePath, Func<StoredFile, AssetRecord> change, CancellationToken cancellationToken);

    /// <summary>Removes the file, then its record; false when there was no file.</summary>
    Task<bool> DeleteAsync(string filePath, CancellationToken cancellationToken);

    /// <summary>
    /// Removes <paramref name="folder"/> when nothing is left in it; never the root. Stores without folders (S3, where a
    /// folder is only a prefix of its files) have nothing to remove.
    /// </summary>
    Task DeleteFolderIfEmptyAsync(string folder, CancellationToken cancellationToken);

    /// <summary>One page of the folders and files directly inside <paramref name="folder"/> (empty: the root), in name order.</summary>
    Task<FolderPage> ListAsync(string folder, int skip, int take, CancellationToken cancellationToken);

    /// <summary>
    /// Bytes of every file stored (sidecars and CdnProxy's own objects left out): a full walk or listing, so callers
    /// count it rarely and keep a tally (<c>UploadQuotas</c>).
    /// </summary>
    Task<long> StoredBytesAsync(CancellationToken cancellationToken);

    /// <summary>Resumable uploads in parts.</summary>
    IChunkedUploads Chunks { get; }
}
