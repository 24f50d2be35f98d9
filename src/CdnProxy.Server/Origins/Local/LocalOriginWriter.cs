using CdnProxy.Core.Assets;
using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Origins.Local;

/// <summary>
/// Stores files in a local folder: bytes are written to a temporary file inside the root, flushed, and renamed into
/// place; the record (sidecar) is replaced first, under the path's lock, so readers see the old record with the old
/// bytes or the new with the new. A crash leaves at most a temporary file in <c>.cdnproxy-tmp</c>, never a partial
/// file at its path.
/// </summary>
public sealed class LocalOriginWriter(LocalRoot root, TimeProvider time) : IOriginWriter
{
    public IChunkedUploads Chunks { get; } = new LocalChunkedUploads(root, time);

    public async Task<IStagedFile> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken) =>
        await LocalStagedFile.WriteAsync(root, content, maxBytes, cancellationToken).ConfigureAwait(false);

    public async Task<bool> CommitAsync(IStagedFile staged, string filePath, AssetRecord record, bool overwrite, CancellationToken cancellationToken)
    {
        var file = staged as LocalStagedFile ?? throw new ArgumentException("Not staged by this origin.", nameof(staged));
        using (await root.Locks.AcquireAsync(filePath, cancellationToken).ConfigureAwait(false))
        {
            var target = root.PrepareTarget(filePath) ?? throw new IOException("The target path is not writable under the root.");
            if (!overwrite && File.Exists(target))
            {
                return false;
            }

            await root.WriteRecordAsync(target, record, cancellationToken).ConfigureAwait(false);
            try
            {
                File.Move(file.Path, target, overwrite);
            }
            catch (IOException) when (!overwrite && File.Exists(target))
            {
                // Another process sharing the folder won the race: ours is not stored.
                return false;
            }

            file.Committed = true;
            return true;
        }
    }

    public async Task<StoredFile?> FindAsync(string filePath, CancellationToken cancellationToken)
    {
        if (root.Locate(filePath) is not { } real)
        {
            return null;
        }

        var info = new FileInfo(real);
        var record = await LocalRoot.ReadRecordAsync(real, cancellationToken).ConfigureAwait(false);
        return info.Exists ? new StoredFile(filePath, info.Length, info.LastWriteTimeUtc, record?.Access ?? AssetAccess.PublicRead, record) : null;
    }

    public async Task<StoredFile?> UpdateRecordAsync(string filePath, Func<StoredFile, AssetRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        using (await root.Locks.AcquireAsync(filePath, cancellationToken).ConfigureAwait(false))
        {
            if (await FindAsync(filePath, cancellationToken).ConfigureAwait(false) is not { } file || root.Locate(filePath) is not { } real)
            {
                return null;
            }

            var record = change(file);
            await root.WriteRecordAsync(real, record, cancellationToken).ConfigureAwait(false);
            return file with { Access = record.Access, Record = record };
        }
    }

    public async Task<bool> DeleteAsync(string filePath, CancellationToken cancellationToken)
    {
        using (await root.Locks.AcquireAsync(filePath, cancellationToken).ConfigureAwait(false))
        {
            if (root.Locate(filePath) is not { } real)
            {
                return false;
            }

            // The file before its record: a reader never finds a private file without the record that protects it.
            File.Delete(real);
            File.Delete(AssetRecordJson.SidecarPath(real));
            return true;
        }
    }

    public Task DeleteFolderIfEmptyAsync(string folder, CancellationToken cancellationToken)
    {
        if (folder.Length > 0 && root.LocateFolder(folder) is { } real && !string.Equals(real, root.Path, StringComparison.Ordinal))
        {
            try
            {
                Directory.Delete(real, recursive: false);
            }
            catch (IOException)
            {
                // Not empty: something was written there meanwhile, and stays.
            }
        }

        return Task.CompletedTask;
    }

    public Task<long> StoredBytesAsync(CancellationToken cancellationToken)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        var total = new DirectoryInfo(root.Path).EnumerateFiles("*", options)
            .Where(f => !StoragePath.IsReserved(Path.GetRelativePath(root.Path, f.FullName).Replace('\\', '/')))
            .Sum(f => f.Length);
        return Task.FromResult(total);
    }

    public async Task<FolderPage> ListAsync(string folder, int skip, int take, CancellationToken cancellationToken)
    {
        if (root.LocateFolder(folder) is not { } real)
        {
            return new FolderPage([], [], false);
        }

        var prefix = folder.Length == 0 ? string.Empty : folder + "/";
        var entries = new DirectoryInfo(real).EnumerateFileSystemInfos()
            .Where(e => !StoragePath.IsReserved(e.Name) && e.LinkTarget is null)
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Skip(skip)
            .Take(take + 1)
            .ToList();
        var page = entries.Take(take).ToList();
        var files = new List<StoredFile>();
        foreach (var file in page.OfType<FileInfo>())
        {
            var record = await LocalRoot.ReadRecordAsync(file.FullName, cancellationToken).ConfigureAwait(false);
            files.Add(new StoredFile(prefix + file.Name, file.Length, file.LastWriteTimeUtc, record?.Access ?? AssetAccess.PublicRead, record));
        }

        return new FolderPage([.. page.OfType<DirectoryInfo>().Select(d => prefix + d.Name)], files, entries.Count > take);
    }
}
