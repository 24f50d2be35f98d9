using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Origins.Local;

/// <summary>A temporary file in the root's <c>.cdnproxy-tmp</c> folder; removed on dispose unless a commit renamed it into place.</summary>
public sealed class LocalStagedFile(string path, long length) : IStagedFile
{
    public string Path { get; } = path;

    public long Length { get; } = length;

    /// <summary>Set once renamed into place: there is nothing left to remove.</summary>
    public bool Committed { get; set; }

    public Stream OpenRead() => new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.RandomAccess);

    public ValueTask DisposeAsync()
    {
        if (!Committed)
        {
            File.Delete(Path);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Streams <paramref name="content"/> into a new temporary file of <paramref name="root"/>, flushed to disk.</summary>
    public static async Task<LocalStagedFile> WriteAsync(LocalRoot root, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var path = root.NewTemporaryFile(".upload");
        try
        {
            long length;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                length = await CappedCopy.CopyAsync(content, file, maxBytes, cancellationToken).ConfigureAwait(false);

                // On disk before it can be renamed into place: a crash never leaves a visible file with missing bytes.
                file.Flush(flushToDisk: true);
            }

            return new LocalStagedFile(path, length);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
