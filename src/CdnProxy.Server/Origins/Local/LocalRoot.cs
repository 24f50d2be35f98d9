using CdnProxy.Core.Assets;
using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Origins.Local;

/// <summary>
/// A local origin's folder, shared by its reader and writer: path resolution that never leaves the root (every
/// symbolic link resolved), the per-path commit locks, the sidecar records and CdnProxy's own temporary folder.
/// </summary>
public sealed class LocalRoot
{
    private const int MaxLinksFollowed = 40;

    public LocalRoot(string root)
    {
        Path = RealPath(System.IO.Path.GetFullPath(root)) ?? throw new DirectoryNotFoundException("The origin root could not be resolved.");
    }

    /// <summary>The root with every symbolic link resolved.</summary>
    public string Path { get; }

    public PathLocks Locks { get; } = new();

    /// <summary>CdnProxy's temporary files and upload sessions: inside the root, so a commit is a rename on one file system.</summary>
    public string TemporaryFolder => System.IO.Path.Join(Path, StoragePath.ReservedPrefix + "-tmp");

    /// <summary>The real path of <paramref name="filePath"/> when it is a safe, unreserved path to a file under the root; otherwise null.</summary>
    public string? Locate(string filePath)
    {
        if (!StoragePath.IsSafeRelative(filePath) || StoragePath.IsReserved(filePath))
        {
            return null;
        }

        var real = RealPath(System.IO.Path.Join(Path, filePath));
        return real is not null && IsBelowRoot(real) && File.Exists(real) ? real : null;
    }

    /// <summary>
    /// Where a new file at <paramref name="filePath"/> goes, its folders created; null when a folder on the way is a
    /// link leading out of the root or a file is in the way.
    /// </summary>
    public string? PrepareTarget(string filePath)
    {
        var target = System.IO.Path.Join(Path, filePath);
        var folder = System.IO.Path.GetDirectoryName(target)!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (IOException)
        {
            return null;
        }

        var realFolder = RealPath(folder);
        if (realFolder is null || !(realFolder == Path || IsBelowRoot(realFolder)))
        {
            return null;
        }

        var real = System.IO.Path.Join(realFolder, System.IO.Path.GetFileName(target));
        return new FileInfo(real).LinkTarget is null && !Directory.Exists(real) ? real : null;
    }

    /// <summary>The real folder <paramref name="folder"/> names (empty: the root), or null when it is not a folder under the root.</summary>
    public string? LocateFolder(string folder)
    {
        if (folder.Length == 0)
        {
            return Path;
        }

        if (!StoragePath.IsSafeRelative(folder) || StoragePath.IsReserved(folder))
        {
            return null;
        }

        var real = RealPath(System.IO.Path.Join(Path, folder));
        return real is not null && IsBelowRoot(real) && Directory.Exists(real) ? real : null;
    }

    /// <summary>The record beside <paramref name="realFile"/>; null without one; a damaged one reads as private (fail closed).</summary>
    public static async Task<AssetRecord?> ReadRecordAsync(string realFile, CancellationToken cancellationToken)
    {
        var sidecar = AssetRecordJson.SidecarPath(realFile);
        byte[] bytes;
        try
        {
            var info = new FileInfo(sidecar);
            if (!info.Exists)
            {
                return null;
            }

            bytes = info.Length > AssetRecordJson.MaxSidecarBytes ? [] : await File.ReadAllBytesAsync(sidecar, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        return AssetRecordJson.Deserialize(bytes) ?? new AssetRecord { Id = string.Empty, Access = AssetAccess.Private };
    }

    /// <summary>Replaces the record beside <paramref name="realFile"/> atomically (temporary file, flushed, renamed).</summary>
    public async Task WriteRecordAsync(string realFile, AssetRecord record, CancellationToken cancellationToken)
    {
        var temporary = NewTemporaryFile(".json");
        await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(AssetRecordJson.Serialize(record), cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, AssetRecordJson.SidecarPath(realFile), overwrite: true);
    }

    /// <summary>A new, unique path in the temporary folder (the folder is created if needed).</summary>
    public string NewTemporaryFile(string extension)
    {
        Directory.CreateDirectory(TemporaryFolder);
        return System.IO.Path.Join(TemporaryFolder, Guid.NewGuid().ToString("N") + extension);
    }

    /// <summary>The path of <paramref name="real"/> relative to the root, with <c>/</c> separators.</summary>
    public string Relative(string real) => real[(Path.Length + (Path == "/" ? 0 : 1))..];

    private bool IsBelowRoot(string real) =>
        real.StartsWith(Path, StringComparison.Ordinal) && real.Length > Path.Length && (real[Path.Length] == '/' || Path == "/");

    /// <summary>
    /// Resolves <paramref name="absolutePath"/> the way the kernel would (realpath(3)): every symbolic link, relative
    /// or absolute, at any depth; null when a link loop or an unreadable link is met.
    /// </summary>
    internal static string? RealPath(string absolutePath)
    {
        var pending = new List<string>(absolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var resolved = new List<string>();
        var links = 0;
        while (pending.Count > 0)
        {
            var segment = pending[0];
            pending.RemoveAt(0);
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var candidate = "/" + string.Join('/', resolved.Append(segment));
            if (new FileInfo(candidate).LinkTarget is not { } target)
            {
                resolved.Add(segment);
                continue;
            }

            if (++links > MaxLinksFollowed)
            {
                return null;
            }

            // The link's target replaces it: absolute targets restart from "/", relative ones continue from its folder.
            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }

            pending.InsertRange(0, target.Split('/', StringSplitOptions.RemoveEmptyEntries));
        }

        return "/" + string.Join('/', resolved);
    }
}
