namespace CdnProxy.Core.Origins;

/// <summary>One received part of a chunked upload.</summary>
/// <param name="Number">Its part number, from 1.</param>
/// <param name="Size">Its size in bytes (0 when the store does not say).</param>
/// <param name="ETag">The store's tag for it (S3 needs it to complete), or null.</param>
public sealed record UploadedPart(int Number, long Size, string? ETag = null);
