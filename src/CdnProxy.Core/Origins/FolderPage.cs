namespace CdnProxy.Core.Origins;

/// <summary>One page of a folder listing.</summary>
/// <param name="Folders">Paths of the sub-folders on this page.</param>
/// <param name="Files">The files on this page (folders and files together in ordinal name order).</param>
/// <param name="HasMore">True when entries follow this page.</param>
public sealed record FolderPage(IReadOnlyList<string> Folders, IReadOnlyList<StoredFile> Files, bool HasMore);
