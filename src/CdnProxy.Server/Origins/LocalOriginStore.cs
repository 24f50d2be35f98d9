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
            var bytes = await File.ReadAllBytesAsync(fullPath, cancellationToken).ConfigureAwait(false);
            return new OriginObject(bytes, file.LastWriteTimeUtc);
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
