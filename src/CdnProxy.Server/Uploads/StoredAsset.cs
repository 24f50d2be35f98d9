using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Uploads;

/// <summary>A file of a writable cloud, as the upload and assets APIs describe it.</summary>
/// <param name="Target">Its cloud and zone.</param>
/// <param name="File">The file.</param>
public sealed record StoredAsset(UploadTarget Target, StoredFile File);
