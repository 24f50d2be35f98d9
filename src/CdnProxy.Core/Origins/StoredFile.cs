using CdnProxy.Core.Assets;

namespace CdnProxy.Core.Origins;

/// <summary>A file a writable origin holds.</summary>
/// <param name="Path">Its path inside the origin.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="LastModified">When it was last written, if known.</param>
/// <param name="Access">Its access as readers see it.</param>
/// <param name="Record">Its sidecar record; null for a file put there without CdnProxy.</param>
public sealed record StoredFile(string Path, long Size, DateTimeOffset? LastModified, AssetAccess Access, AssetRecord? Record);
