using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using CdnProxy.Core;
using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Origins.Local;

/// <summary>
/// Chunked uploads into a local folder: a session is a folder in <c>.cdnproxy-tmp/uploads/</c> holding its plan and
/// one file per part (each written to a temporary name and renamed, so a part is whole or absent). Assembling
/// concatenates the parts into a staged file. Sessions past their expiry, and temporary files a crash left, are
/// swept when a new session begins.
/// </summary>
public sealed partial class LocalChunkedUploads(LocalRoot root, TimeProvider time) : IChunkedUploads
{
    private const string SessionFile = "session.json";
    private const string PartExtension = ".part";
    private const string ClaimedSuffix = ".claimed-";

    /// <summary>How long a leftover of a crashed write is kept before it is swept.</summary>
    private static readonly TimeSpan LeftoverAge = TimeSpan.FromDays(1);

    private string Sessions => Path.Join(root.TemporaryFolder, "uploads");

    public async Task<ChunkedUpload> BeginAsync(string plan, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        Sweep();
        var upload = new ChunkedUpload(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), plan, expires);
        var folder = Directory.CreateDirectory(Path.Join(Sessions, upload.Id)).FullName;
        var temporary = Path.Join(folder, SessionFile + ".tmp");
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(new SessionState(plan, expires), LocalSessionJson.Default.SessionState), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, Path.Join(folder, SessionFile));
        return upload;
    }

    public async Task<ChunkedUpload?> FindAsync(string uploadId, CancellationToken cancellationToken)
    {
        if (!IsUploadId(uploadId))
        {
            return null;
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(Path.Join(Sessions, uploadId, SessionFile), cancellationToken).ConfigureAwait(false);
            var state = JsonSerializer.Deserialize(bytes, LocalSessionJson.Default.SessionState);
            return state is null ? null : new ChunkedUpload(uploadId, state.Plan, state.Expires);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    public Uri? PresignPart(ChunkedUpload upload, int partNumber, DateTimeOffset expires) => null;

    public async Task<UploadedPart> WritePartAsync(ChunkedUpload upload, int partNumber, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var folder = Path.Join(Sessions, upload.Id);
        var temporary = Path.Join(folder, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            long length;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                length = await CappedCopy.CopyAsync(content, file, maxBytes, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            // A part sent again replaces the earlier copy whole.
            File.Move(temporary, PartPath(upload, partNumber), overwrite: true);
            return new UploadedPart(partNumber, length);
        }
        catch (DirectoryNotFoundException e)
        {
            // A completion or an abort took the session while this part was on its way.
            throw Gone(e);
        }
        finally
        {
            DeleteUnlessGone(temporary);
        }
    }

    public Task<IReadOnlyList<UploadedPart>> ListPartsAsync(ChunkedUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);

        // A session taken meanwhile is gone (404), not empty: a completion racing another one was told "part 1 was
        // not received" (400).
        var folder = new DirectoryInfo(Path.Join(Sessions, upload.Id));
        try
        {
            IReadOnlyList<UploadedPart> parts = [.. folder.EnumerateFiles("*" + PartExtension)
                .Select(f => (File: f, Number: int.TryParse(Path.GetFileNameWithoutExtension(f.Name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0))
                .Where(p => p.Number > 0)
                .OrderBy(p => p.Number)
                .Select(p => new UploadedPart(p.Number, p.File.Length))];
            return Task.FromResult(parts);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            throw Gone(e);
        }
    }

    public async Task<IStagedFile> AssembleAsync(ChunkedUpload upload, IReadOnlyList<UploadedPart> parts, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(parts);

        var session = Path.Join(Sessions, upload.Id);
        var claimed = Claim(session);
        var path = root.NewTemporaryFile(".upload");
        try
        {
            long length = 0;
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                foreach (var part in parts)
                {
                    await using var source = new FileStream(PartPath(claimed, part.Number), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
                    length += await CappedCopy.CopyAsync(source, target, maxBytes - length, cancellationToken).ConfigureAwait(false);
                }

                target.Flush(flushToDisk: true);
            }

            Directory.Delete(claimed, recursive: true);
            return new LocalStagedFile(path, length);
        }
        catch
        {
            File.Delete(path);
            Release(claimed, session);
            throw;
        }
    }

    public Task AbortAsync(ChunkedUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        Directory.Delete(Claim(Path.Join(Sessions, upload.Id)), recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Takes a session for one completion or abort by renaming its folder (atomic) and returns the new name; of calls
    /// racing, one gets it and the others find the upload gone (404). Reading parts another call was deleting gave
    /// 500s, and an abort checking then deleting answered "aborted" for an upload a completion was committing.
    /// </summary>
    private static string Claim(string session)
    {
        var claimed = session + ClaimedSuffix + Guid.NewGuid().ToString("N");
        try
        {
            Directory.Move(session, claimed);
            return claimed;
        }
        catch (DirectoryNotFoundException e)
        {
            throw Gone(e);
        }
    }

    /// <summary>Deletes a part's temporary file; when its session folder is gone, the file went with it.</summary>
    private static void DeleteUnlessGone(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static CdnException Gone(Exception cause) =>
        new(CdnErrorKind.AssetNotFound, "No such upload (completed, aborted or expired)", cause);

    /// <summary>Gives a claimed session back, so its parts stay for another try (if that fails, the sweep removes it when it expires).</summary>
    private static void Release(string claimed, string session)
    {
        try
        {
            Directory.Move(claimed, session);
        }
        catch (IOException)
        {
        }
    }

    private static bool IsUploadId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    private string PartPath(ChunkedUpload upload, int partNumber) => PartPath(Path.Join(Sessions, upload.Id), partNumber);

    private static string PartPath(string session, int partNumber) =>
        Path.Join(session, partNumber.ToString(CultureInfo.InvariantCulture) + PartExtension);

    /// <summary>Removes expired sessions and old leftovers of crashed writes (best effort: a failure only leaves them for later).</summary>
    private void Sweep()
    {
        var now = time.GetUtcNow();
        try
        {
            var temporary = new DirectoryInfo(root.TemporaryFolder);
            if (!temporary.Exists)
            {
                return;
            }

            foreach (var leftover in temporary.EnumerateFiles().Where(f => now - f.LastWriteTimeUtc > LeftoverAge))
            {
                leftover.Delete();
            }

            var sessions = new DirectoryInfo(Sessions);
            foreach (var session in sessions.Exists ? sessions.EnumerateDirectories() : [])
            {
                var state = Path.Join(session.FullName, SessionFile);
                var expired = File.Exists(state)
                    ? JsonSerializer.Deserialize(File.ReadAllBytes(state), LocalSessionJson.Default.SessionState) is not { } s || s.Expires < now
                    : now - session.LastWriteTimeUtc > LeftoverAge;
                if (expired)
                {
                    session.Delete(recursive: true);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // Swept next time.
        }
    }

    private sealed record SessionState(string Plan, DateTimeOffset Expires);

    [JsonSerializable(typeof(SessionState))]
    private sealed partial class LocalSessionJson : JsonSerializerContext;
}
