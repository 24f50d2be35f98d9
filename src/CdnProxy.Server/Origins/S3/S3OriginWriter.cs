using System.Buffers;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CdnProxy.Core.Assets;
using CdnProxy.Core.Origins;
using CdnProxy.Core;

namespace CdnProxy.Server.Origins.S3;

/// <summary>
/// Stores files in an S3 bucket. Bytes go to a staging key first (one PUT, or a multipart upload of
/// <see cref="PartSize"/> parts, aborted on any failure), and become visible with one server-side copy that also sets
/// the access metadata: an object is either absent or whole. The record (sidecar) is written after the copy.
/// Existence checks and commits of one path are serialised in this process; see docs/uploads.md for replicas.
/// </summary>
public sealed class S3OriginWriter : IOriginWriter, IDisposable
{
    /// <summary>Part size of the multipart uploads the server makes itself (memory per upload: one part).</summary>
    public const int PartSize = 8 * 1024 * 1024;

    private const string StagingFolder = StoragePath.ReservedPrefix + "-staging/";
    private const int ListConcurrency = 8;

    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly PathLocks _locks = new();
    private readonly TimeSpan _stagedReadTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public S3OriginWriter(S3OriginOptions options, TimeProvider time, ILogger<S3OriginWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucket = options.Bucket!;
        _prefix = options.KeyPrefix;
        _time = time;
        _logger = logger;
        // A staged object's header is read as a fetch is: within the origin's fetch budget, per ranged read.
        _stagedReadTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        _client = S3Clients.Create(options, S3Clients.WriteTimeout, maxErrorRetry: 2);
        Chunks = new S3ChunkedUploads(_client, _bucket, _prefix, options.ServiceUrl, this);
    }

    public IChunkedUploads Chunks { get; }

    /// <summary>The staged object at <paramref name="key"/>, of <paramref name="length"/> bytes.</summary>
    internal S3StagedObject Staged(string key, long length) => new(_client, _bucket, key, length, _stagedReadTimeout, _time, _logger, ToString());

    public override string ToString() => $"s3 {_bucket}/{_prefix}";

    public void Dispose() => _client.Dispose();

    /// <summary>A new staging key (never visible as a file: reserved names are not served).</summary>
    internal string NewStagingKey() => _prefix + StagingFolder + Guid.NewGuid().ToString("N");

    public Task<IStagedFile> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken) =>
        GuardAsync("(staging)", async () =>
        {
            var key = NewStagingKey();
            var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
            string? uploadId = null;
            try
            {
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, PartSize), PartSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (read < PartSize)
                {
                    ThrowIfOver(read, maxBytes);
                    using var single = new MemoryStream(buffer, 0, read, writable: false);
                    await _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = single, UseChunkEncoding = false, AutoCloseStream = false }, cancellationToken).ConfigureAwait(false);
                    return (IStagedFile)Staged(key, read);
                }

                uploadId = (await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, cancellationToken).ConfigureAwait(false)).UploadId;
                var parts = new List<PartETag>();
                long total = 0;
                while (read > 0)
                {
                    total += read;
                    ThrowIfOver(total, maxBytes);
                    using var part = new MemoryStream(buffer, 0, read, writable: false);
                    var uploaded = await _client.UploadPartAsync(
                        new UploadPartRequest { BucketName = _bucket, Key = key, UploadId = uploadId, PartNumber = parts.Count + 1, InputStream = part, PartSize = read, UseChunkEncoding = false },
                        cancellationToken).ConfigureAwait(false);
                    parts.Add(new PartETag(parts.Count + 1, uploaded.ETag));
                    read = await content.ReadAtLeastAsync(buffer.AsMemory(0, PartSize), PartSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                }

                await _client.CompleteMultipartUploadAsync(
                    new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId, PartETags = parts }, cancellationToken).ConfigureAwait(false);
                uploadId = null;
                return Staged(key, total);
            }
            catch when (uploadId is not null)
            {
                await AbortQuietlyAsync(key, uploadId).ConfigureAwait(false);
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });

    public Task<bool> CommitAsync(IStagedFile staged, string filePath, AssetRecord record, bool overwrite, CancellationToken cancellationToken) =>
        GuardAsync(filePath, async () =>
        {
            ArgumentNullException.ThrowIfNull(record);
            var source = staged as S3StagedObject ?? throw new ArgumentException("Not staged by this origin.", nameof(staged));
            using (await _locks.AcquireAsync(filePath, cancellationToken).ConfigureAwait(false))
            {
                if (!overwrite && await HeadAsync(filePath, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return false;
                }

                await CopyWithAccessAsync(source.Key, _prefix + filePath, record.Access, record.Meta?.ContentType, cancellationToken).ConfigureAwait(false);
                await PutRecordAsync(filePath, record, cancellationToken).ConfigureAwait(false);
                return true;
            }
        });

    public Task<StoredFile?> FindAsync(string filePath, CancellationToken cancellationToken) =>
        GuardAsync(filePath, async () =>
        {
            if (StoragePath.IsReserved(filePath) || await HeadAsync(filePath, cancellationToken).ConfigureAwait(false) is not { } head)
            {
                return null;
            }

            return await FileAsync(filePath, head, cancellationToken).ConfigureAwait(false);
        });

    private async Task<StoredFile> FileAsync(string filePath, GetObjectMetadataResponse head, CancellationToken cancellationToken) =>
        new StoredFile(filePath, head.ContentLength, LastModified(head.LastModified), S3OriginStore.AccessOf(head.Metadata), await GetRecordAsync(filePath, cancellationToken).ConfigureAwait(false));

    public Task<StoredFile?> UpdateRecordAsync(string filePath, Func<StoredFile, AssetRecord> change, CancellationToken cancellationToken) =>
        GuardAsync(filePath, async () =>
        {
            ArgumentNullException.ThrowIfNull(change);
            using (await _locks.AcquireAsync(filePath, cancellationToken).ConfigureAwait(false))
            {
                if (StoragePath.IsReserved(filePath) || await HeadAsync(filePath, cancellationToken).ConfigureAwait(false) is not { } head)
                {
                    return null;
                }

                var file = await FileAsync(filePath, head, cancellationToken).ConfigureAwait(false);
                var record = change(file);
                if (file.Access != record.Access)
                {
                    // A copy onto itself replaces the metadata atomically: readers switch access with the object.
                    await CopyWithAccessAsync(_prefix + filePath, _prefix + filePath, record.Access, head.Headers.ContentType, cancellationToken).ConfigureAwait(false);
                }

                await PutRecordAsync(filePath, record, cancellationToken).ConfigureAwait(false);
                return file with { Access = record.Access, Record = record };
            }
        });

    // A folder is only the prefix of its objects: it went with the last one.
    public Task DeleteFolderIfEmptyAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> DeleteAsync(string filePath, CancellationToken cancellationToken) =>
        GuardAsync(filePath, async () =>
        {
            using (await _locks.AcquireAsync(filePath, cancellationToken).ConfigureAwait(false))
            {
                if (StoragePath.IsReserved(filePath) || await HeadAsync(filePath, cancellationToken).ConfigureAwait(false) is null)
                {
                    return false;
                }

                // The object before its record (the object carries its own access, so either order is safe here).
                await _client.DeleteObjectAsync(_bucket, _prefix + filePath, cancellationToken).ConfigureAwait(false);
                await _client.DeleteObjectAsync(_bucket, _prefix + AssetRecordJson.SidecarPath(filePath), cancellationToken).ConfigureAwait(false);
                return true;
            }
        });

    public Task<long> StoredBytesAsync(CancellationToken cancellationToken) =>
        GuardAsync(string.Empty, async () =>
        {
            var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix };
            var total = 0L;
            ListObjectsV2Response response;
            do
            {
                response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                total += (response.S3Objects ?? []).Where(o => !StoragePath.IsReserved(o.Key[_prefix.Length..])).Sum(o => o.Size ?? 0);
                request.ContinuationToken = response.NextContinuationToken;
            }
            while (response.IsTruncated == true);

            return total;
        });

    public Task<FolderPage> ListAsync(string folder, int skip, int take, CancellationToken cancellationToken) =>
        GuardAsync(folder, async () =>
        {
            var prefix = _prefix + (folder.Length == 0 ? string.Empty : folder + "/");
            var entries = new List<(string Key, long Size, DateTime? Modified, bool Folder)>();
            var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, Delimiter = "/" };
            ListObjectsV2Response response;
            do
            {
                response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                entries.AddRange((response.CommonPrefixes ?? []).Select(p => (p.TrimEnd('/'), 0L, (DateTime?)null, true)));
                entries.AddRange((response.S3Objects ?? []).Select(o => (o.Key, o.Size ?? 0, o.LastModified, false)));
                request.ContinuationToken = response.NextContinuationToken;
            }
            while (response.IsTruncated == true && entries.Count <= skip + take);

            var visible = entries
                .Select(e => e with { Key = e.Key[_prefix.Length..] })
                .Where(e => e.Key.Length > 0 && !StoragePath.IsReserved(e.Key))
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .Skip(skip)
                .Take(take + 1)
                .ToList();
            var page = visible.Take(take).ToList();
            var files = new StoredFile[page.Count(e => !e.Folder)];
            var fileEntries = page.Where(e => !e.Folder).ToList();
            await Parallel.ForEachAsync(
                Enumerable.Range(0, fileEntries.Count),
                new ParallelOptions { MaxDegreeOfParallelism = ListConcurrency, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    var (key, size, modified, _) = fileEntries[i];
                    var record = await GetRecordAsync(key, token).ConfigureAwait(false);
                    files[i] = new StoredFile(key, size, LastModified(modified), record?.Access ?? AssetAccess.PublicRead, record);
                }).ConfigureAwait(false);
            return new FolderPage([.. page.Where(e => e.Folder).Select(e => e.Key)], files, visible.Count > take || response.IsTruncated == true && visible.Count >= take);
        });

    internal async Task<long?> SizeOfKeyAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return (await _client.GetObjectMetadataAsync(_bucket, key, cancellationToken).ConfigureAwait(false)).ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    internal async Task AbortQuietlyAsync(string key, string uploadId)
    {
        try
        {
            await _client.AbortMultipartUploadAsync(_bucket, key, uploadId).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            // Some S3-compatible servers cannot abort; the parts stay invisible and a lifecycle rule removes them.
            OriginLog.AbortFailed(_logger, ToString(), e);
        }
    }

    /// <summary>
    /// Runs a store call, turning S3 and network failures into <c>origin_failed</c> (logged, secrets never shown), and
    /// S3 asking us to slow down into <c>origin_throttled</c>: the client may retry, the store is not broken.
    /// </summary>
    internal async Task<T> GuardAsync<T>(string filePath, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonServiceException e) when (S3Throttling.Is(e))
        {
            throw S3Throttling.Failure(e, _time.GetUtcNow(), _logger, ToString(), filePath);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            throw OriginLog.Failure(_logger, ToString(), filePath, CdnErrorKind.OriginFailed, e);
        }
    }

    private static DateTimeOffset? LastModified(DateTime? modified) =>
        modified is { } value ? new DateTimeOffset(value.ToUniversalTime()) : null;

    private static void ThrowIfOver(long total, long maxBytes)
    {
        if (total > maxBytes)
        {
            throw new CdnException(CdnErrorKind.UploadTooLarge, "The file is larger than this cloud accepts");
        }
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(string filePath, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(_bucket, _prefix + filePath, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task CopyWithAccessAsync(string sourceKey, string targetKey, AssetAccess access, string? contentType, CancellationToken cancellationToken)
    {
        var copy = new CopyObjectRequest
        {
            SourceBucket = _bucket,
            SourceKey = sourceKey,
            DestinationBucket = _bucket,
            DestinationKey = targetKey,
            MetadataDirective = S3MetadataDirective.REPLACE,
            ContentType = contentType,
        };
        copy.Metadata.Add(S3OriginStore.AccessMetadata, access.ToName());
        await _client.CopyObjectAsync(copy, cancellationToken).ConfigureAwait(false);
    }

    private async Task PutRecordAsync(string filePath, AssetRecord record, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(AssetRecordJson.Serialize(record), writable: false);
        await _client.PutObjectAsync(
            new PutObjectRequest { BucketName = _bucket, Key = _prefix + AssetRecordJson.SidecarPath(filePath), InputStream = body, ContentType = "application/json", UseChunkEncoding = false },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<AssetRecord?> GetRecordAsync(string filePath, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetObjectAsync(_bucket, _prefix + AssetRecordJson.SidecarPath(filePath), cancellationToken).ConfigureAwait(false);
            if (response.ContentLength > AssetRecordJson.MaxSidecarBytes)
            {
                return null;
            }

            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return AssetRecordJson.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
