namespace CdnProxy.Core.Origins;

/// <summary>A resumable upload session.</summary>
/// <param name="Id">The session id (URL-safe).</param>
/// <param name="Plan">What the caller stored with it at the start.</param>
/// <param name="Expires">When it stops accepting parts.</param>
/// <param name="StoreUploadId">The store's own id for it (an S3 multipart upload id), or null.</param>
/// <param name="StoreKey">Where the store assembles it (an S3 staging key), or null.</param>
public sealed record ChunkedUpload(string Id, string Plan, DateTimeOffset Expires, string? StoreUploadId = null, string? StoreKey = null);
