using System.Buffers;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;

namespace CdnProxy.Server.Origins;

/// <summary>
/// Originals in a local folder. Paths never leave the root: <c>..</c> is refused upstream, and any symbolic
/// link on the way is refused here.
/// </summary>
public sealed class LocalOriginStore : IOriginStore
{
    private readonly string _root;
    private readonly long _maxBytes;

    public LocalOriginStore(string root, long maxBytes)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _maxBytes = maxBytes;
    }

    public string Root => _root;

    public async Task<OriginObject?> FetchAsync(string filePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        var fullPath = Path.GetFullPath(Path.Combine(_root, filePath));
        if (!fullPath.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || CrossesLink(fullPath))
        {
            return null;
        }

        var file = new FileInfo(fullPath);
        if (!file.Exists)
        {
            return null;
        }

        if (file.Length > _maxBytes)
        {
            throw new CdnException(CdnErrorKind.SourceTooLarge, "The original is larger than this server accepts");
        }

        try
        {
            return await ReadPooledAsync(fullPath, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException e)
        {
            throw new CdnException(CdnErrorKind.OriginFailed, "The original could not be read", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CdnException(CdnErrorKind.OriginFailed, "The original could not be read", e);
        }
    }

    private async Task<OriginObject> ReadPooledAsync(string fullPath, CancellationToken cancellationToken)
    {
        var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            // The file may change between the size check and the read: cap the read, never trust the old size.
            var length = stream.Length;
            if (length > _maxBytes)
            {
                throw new CdnException(CdnErrorKind.SourceTooLarge, "The original is larger than this server accepts");
            }

            var rented = ArrayPool<byte>.Shared.Rent((int)length);
            try
            {
                var read = await stream.ReadAtLeastAsync(rented.AsMemory(0, (int)length), (int)length, throwOnEndOfStream: false, cancellationToken)
                    .ConfigureAwait(false);
                return OriginObject.FromPooled(rented, read, File.GetLastWriteTimeUtc(fullPath));
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(rented);
                throw;
            }
        }
    }

    private bool CrossesLink(string fullPath)
    {
        for (var path = fullPath; path.Length > _root.Length; path = Path.GetDirectoryName(path)!)
        {
            FileSystemInfo entry = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (entry.Exists && entry.LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }
}
