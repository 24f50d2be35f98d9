namespace CdnProxy.Core.Origins;

/// <summary>
/// A writable origin's resumable uploads in parts. A session survives restarts (its state lives in the store); parts
/// may come in any order and be sent again; assembling them yields an <see cref="IStagedFile"/>, committed like any
/// other upload, so an unfinished session never shows.
/// </summary>
public interface IChunkedUploads
{
    /// <summary>Starts a session holding <paramref name="plan"/> (the caller's opaque description of what to do on completion).</summary>
    Task<ChunkedUpload> BeginAsync(string plan, DateTimeOffset expires, CancellationToken cancellationToken);

    /// <summary>The session <paramref name="uploadId"/>, or null when it does not exist (never begun, completed or aborted).</summary>
    Task<ChunkedUpload?> FindAsync(string uploadId, CancellationToken cancellationToken);

    /// <summary>A URL a client can send part <paramref name="partNumber"/> to directly (S3), or null when parts go to the server's own endpoint.</summary>
    Uri? PresignPart(ChunkedUpload upload, int partNumber, DateTimeOffset expires);

    /// <summary>Stores one part (replacing an earlier copy of it), capped at <paramref name="maxBytes"/>.</summary>
    Task<UploadedPart> WritePartAsync(ChunkedUpload upload, int partNumber, Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>The parts received so far, by number (for resuming).</summary>
    Task<IReadOnlyList<UploadedPart>> ListPartsAsync(ChunkedUpload upload, CancellationToken cancellationToken);

    /// <summary>Joins <paramref name="parts"/> in order into a staged file and ends the session; fails past <paramref name="maxBytes"/>.</summary>
    Task<IStagedFile> AssembleAsync(ChunkedUpload upload, IReadOnlyList<UploadedPart> parts, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Ends the session and frees its parts.</summary>
    Task AbortAsync(ChunkedUpload upload, CancellationToken cancellationToken);
}
