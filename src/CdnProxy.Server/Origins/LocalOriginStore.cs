using System.Buffers;
using CdnProxy.Core;
using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Origins;

/// <summary>
/// Originals in a local folder. A file path never leaves the root: suspicious paths (<c>..</c>, <c>.</c>, empty
/// segments, backslashes, NUL, absolute paths) are treated as not found, and the path is resolved through every
/// symbolic link to its real location, which must still be under the (real) root.
/// </summary>
public sealed class LocalOriginStore : IOriginStore
{
    private const int MaxLinksFollowed = 40;

    private readonly string _root;
    private readonly long _maxBytes;

    public LocalOriginStore(string root, long maxBytes)
    {
        _root = RealPath(Path.GetFullPath(root)) ?? throw new DirectoryNotFoundException("The origin root could not be resolved.");
        _maxBytes = maxBytes;
    }

    /// <summary>The root with every symbolic link resolved.</summary>
    public string Root => _root;

    public override string ToString() => "local " + _root;

    public async Task<OriginObject?> FetchAsync(string filePath, CancellationToken cancellationToken)
    {
        if (Locate(filePath) is not { } fullPath)
        {
            return null;
        }

        try
        {
            return await ReadPooledAsync(fullPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CdnException(CdnErrorKind.OriginFailed, "The original could not be read", e);
        }
    }

    /// <summary>The real path of <paramref name="filePath"/> when it is a safe relative path to a file under the root; otherwise null.</summary>
    public string? Locate(string filePath)
    {
        if (!StoragePath.IsSafeRelative(filePath))
        {
            return null;
        }

        var real = RealPath(Path.Join(_root, filePath));
        var underRoot = real is not null
            && real.StartsWith(_root, StringComparison.Ordinal)
            && real.Length > _root.Length
            && (real[_root.Length] == '/' || _root == "/");
        return underRoot && File.Exists(real) ? real : null;
    }

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

    private async Task<OriginObject> ReadPooledAsync(string fullPath, CancellationToken cancellationToken)
    {
        var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            // The file may change between the size check and the read: cap the read, never trust the old size.
            var length = stream.Length;
            if (length > _maxBytes)
            {
                throw CappedBodyReader.TooLarge();
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
}
