using CdnProxy.Core.Origins;
using CdnProxy.Server.Origins.Local;
using CdnProxy.Urls.Paths;

namespace CdnProxy.Server.Origins;

/// <summary>
/// Lists the image files below a local origin's root, for the playground. Bounded before any work: at most
/// <see cref="MaxEntriesRead"/> directory entries are read and <see cref="MaxFiles"/> files returned, from at most
/// <see cref="MaxDepth"/> levels (the root and three folders below it). It takes no path from the client, never follows a symbolic link, skips hidden
/// names, and returns only paths an image URL accepts, so nothing outside the root can be named or reached.
/// </summary>
public sealed class LocalFileLister
{
    public const int MaxFiles = 200;

    public const int MaxDepth = 4;

    public const int MaxEntriesRead = 5000;

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".tif", ".tiff", ".heic", ".heif", ".svg", ".jxl",
    };

    private readonly string _root;

    private readonly string? _keptFolder;

    /// <param name="root">The origin's root, symbolic links already resolved (<see cref="Local.LocalOriginStore.Root"/>).</param>
    /// <param name="keptFolder">
    /// A folder of the root never listed: the jobs' folder of the jobs cloud, whose files belong to the API keys that
    /// made the jobs (docs/uploads.md); null lists every folder.
    /// </param>
    public LocalFileLister(string root, string? keptFolder = null)
    {
        _root = root;
        _keptFolder = keptFolder;
    }

    // Lazy and without links or hidden names (dot files on Unix): a huge folder costs MaxEntriesRead reads, no more.
    private static readonly EnumerationOptions Enumeration = new()
    {
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.ReparsePoint | FileAttributes.System,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>
    /// The image files, sorted by path, private ones left out (the listing is public: a private file's name is not told,
    /// its URL is refused without a signature); <c>Truncated</c> when a bound stopped the walk.
    /// </summary>
    public async Task<FileListing> ListAsync(CancellationToken cancellationToken)
    {
        var files = new List<ListedFile>();
        var read = 0;
        var truncated = false;
        var folders = new Queue<(DirectoryInfo Folder, string Prefix, int Depth)>();
        folders.Enqueue((new DirectoryInfo(_root), string.Empty, 0));
        while (!truncated && folders.TryDequeue(out var current))
        {
            try
            {
                foreach (var entry in current.Folder.EnumerateFileSystemInfos("*", Enumeration))
                {
                    if (++read > MaxEntriesRead || files.Count >= MaxFiles)
                    {
                        truncated = true;
                        break;
                    }

                    Visit(entry, current.Prefix, current.Depth, files, folders);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A folder removed or made unreadable meanwhile: listed as empty.
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var visible = new List<ListedFile>(files.Count);
        foreach (var file in files)
        {
            // A damaged record reads as private (fail closed), as when the file itself is asked for.
            var record = await LocalRoot.ReadRecordAsync(Path.Combine(_root, file.Path), cancellationToken).ConfigureAwait(false);
            if (record?.Access != AssetAccess.Private)
            {
                visible.Add(file);
            }
        }

        return new FileListing(visible, truncated);
    }

    private void Visit(
        FileSystemInfo entry, string prefix, int depth, List<ListedFile> files, Queue<(DirectoryInfo Folder, string Prefix, int Depth)> folders)
    {
        // Checked again although the enumeration skips them: a link is never followed, a dot name never listed.
        if (entry.Name.StartsWith('.') || entry.LinkTarget is not null || (depth == 0 && entry is DirectoryInfo && entry.Name == _keptFolder))
        {
            return;
        }

        var path = prefix + entry.Name;
        if (entry is DirectoryInfo folder && depth + 1 < MaxDepth)
        {
            folders.Enqueue((folder, path + "/", depth + 1));
        }
        else if (entry is FileInfo file && ImageExtensions.Contains(file.Extension) && IsImageUrlPath(path))
        {
            files.Add(new ListedFile(path, file.Length));
        }
    }

    private static bool IsImageUrlPath(string path)
    {
        if (!StoragePath.IsSafeRelative(path))
        {
            return false;
        }

        try
        {
            CdnUrlSplitter.ValidateFilePath(path);
            return true;
        }
        catch (CdnProxy.Urls.CdnUrlException)
        {
            return false;
        }
    }
}

/// <summary>A file below a listable cloud's root.</summary>
/// <param name="Path">The path as it goes into image URLs.</param>
/// <param name="Bytes">Its size.</param>
public sealed record ListedFile(string Path, long Bytes);

/// <summary>What <see cref="LocalFileLister.ListAsync"/> found.</summary>
/// <param name="Files">The files, sorted by path.</param>
/// <param name="Truncated">True when a bound stopped the walk: there may be more.</param>
public sealed record FileListing(IReadOnlyList<ListedFile> Files, bool Truncated);
