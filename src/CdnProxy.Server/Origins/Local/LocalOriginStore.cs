using System.Buffers;
using CdnProxy.Core.Origins;
using CdnProxy.Core;
using CdnProxy.Server.Streaming;
using Microsoft.Net.Http.Headers;

namespace CdnProxy.Server.Origins.Local;

/// <summary>
/// Originals in a local folder. A file path never leaves the root: suspicious paths (<c>..</c>, <c>.</c>, empty
/// segments, backslashes, NUL, absolute paths) and CdnProxy's own files are treated as not found, and the path is
/// resolved through every symbolic link to its real location, which must still be under the (real) root. A file's
/// access comes from its sidecar record, read together with opening the file under the path's commit lock.
/// Files sent as stored are streamed from that same handle with ASP.NET Core's file sending (ranges, conditionals).
/// </summary>
public sealed class LocalOriginStore : IOriginStore, IStreamingOrigin
{
    /// <inheritdoc />
    public string Kind => "local";

    private readonly LocalRoot _root;
    private readonly long _maxBytes;

    public LocalOriginStore(string root, long maxBytes)
        : this(new LocalRoot(root), maxBytes)
    {
    }

    public LocalOriginStore(LocalRoot root, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(root);
        _root = root;
        _maxBytes = maxBytes;
    }

    /// <summary>The root with every symbolic link resolved.</summary>
    public string Root => _root.Path;

    public override string ToString() => "local " + _root.Path;

    public async Task<OriginObject?> FetchAsync(string filePath, CancellationToken cancellationToken)
    {
        if (_root.Locate(filePath) is not { } fullPath)
        {
            return null;
        }

        try
        {
            var (stream, access) = await OpenAsync(filePath, fullPath, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var original = await ReadPooledAsync(stream, cancellationToken).ConfigureAwait(false);
                return OriginObject.FromPooled(original.Buffer, original.Length, File.GetLastWriteTimeUtc(fullPath), access);
            }
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

    public async Task<bool> StreamAsync(StoredFileRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_root.Locate(request.FilePath) is not { } fullPath)
        {
            return false;
        }

        FileStream stream;
        AssetAccess access;
        try
        {
            (stream, access) = await OpenAsync(request.FilePath, fullPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CdnException(CdnErrorKind.OriginFailed, "The original could not be read", e);
        }

        try
        {
            PrivateFiles.EnsureVisible(access, request.HasValidSignature);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // The validators describe the handle's file (size and time of last write), not whatever the path names by now.
        var modified = new DateTimeOffset(File.GetLastWriteTimeUtc(stream.SafeFileHandle), TimeSpan.Zero);
        var entityTag = new EntityTagHeaderValue($"\"{stream.Length:x}-{modified.UtcTicks:x}\"");
        // ASP.NET Core's file sending serves the range for an If-Range date merely not older than the file (a file
        // replaced by an older copy would splice two versions) and for an If-Range it cannot parse: judged here.
        if (!RangeCondition.Holds(request.Context.Request.Headers.IfRange.ToString(), tag => tag.Compare(entityTag, useStrongComparison: true), modified.ToUnixTimeSeconds()))
        {
            request.Context.Request.Headers.Remove("Range");
        }

        var contentType = StoredFileHeaders.ContentTypeOf(fullPath);
        request.Context.Response.ContentType = contentType;
        request.Headers.Apply(request.Context.Response, request.FilePath, access);

        // Copies the requested range in small buffers and disposes the stream; answers 304/206/412/416 itself.
        await Results.Stream(stream, contentType, lastModified: modified, entityTag: entityTag, enableRangeProcessing: true)
            .ExecuteAsync(request.Context).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Opens the file and reads its access under the path's commit lock: the handle keeps these bytes even if a
    /// commit renames a new file in after, so the access read is the access of the bytes served.
    /// </summary>
    private async Task<(FileStream Stream, AssetAccess Access)> OpenAsync(string filePath, string fullPath, CancellationToken cancellationToken)
    {
        using (await _root.Locks.AcquireAsync(filePath, cancellationToken).ConfigureAwait(false))
        {
            var access = (await LocalRoot.ReadRecordAsync(fullPath, cancellationToken).ConfigureAwait(false))?.Access ?? AssetAccess.PublicRead;
            return (new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous), access);
        }
    }

    /// <summary>The real path of <paramref name="filePath"/> when it is a safe relative path to a file under the root; otherwise null.</summary>
    public string? Locate(string filePath) => _root.Locate(filePath);

    private async Task<(byte[] Buffer, int Length)> ReadPooledAsync(FileStream stream, CancellationToken cancellationToken)
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
            return (rented, read);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }
    }
}
