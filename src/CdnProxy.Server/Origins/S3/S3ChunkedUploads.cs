using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.S3;
using Amazon.S3.Model;
using CdnProxy.Core.Origins;
using CdnProxy.Core;

namespace CdnProxy.Server.Origins.S3;

/// <summary>
/// Chunked uploads into S3 as a multipart upload on a staging key: clients send parts straight to S3 through presigned
/// URLs, the server only begins and completes it. The session (plan, multipart id) is a small object under
/// <c>.cdnproxy-uploads/</c>, so any replica can complete it. Assembling completes the multipart upload on the staging
/// key; the commit then copies it into place.
/// </summary>
internal sealed partial class S3ChunkedUploads(AmazonS3Client client, string bucket, string prefix, string? serviceUrl, S3OriginWriter writer) : IChunkedUploads
{
    private const string SessionFolder = StoragePath.ReservedPrefix + "-uploads/";

    public Task<ChunkedUpload> BeginAsync(string plan, DateTimeOffset expires, CancellationToken cancellationToken) =>
        writer.GuardAsync("(upload)", async () =>
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var staging = writer.NewStagingKey();
            var multipart = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = staging }, cancellationToken).ConfigureAwait(false);
            var state = new SessionState(plan, expires, multipart.UploadId, staging);
            using var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(state, S3SessionJson.Default.SessionState), writable: false);
            await client.PutObjectAsync(
                new PutObjectRequest { BucketName = bucket, Key = SessionKey(id), InputStream = body, ContentType = "application/json", UseChunkEncoding = false },
                cancellationToken).ConfigureAwait(false);
            return new ChunkedUpload(id, plan, expires, multipart.UploadId, staging);
        });

    public Task<ChunkedUpload?> FindAsync(string uploadId, CancellationToken cancellationToken) =>
        writer.GuardAsync("(upload)", async () => await ReadStateAsync(uploadId, cancellationToken).ConfigureAwait(false) is { } state
            ? new ChunkedUpload(uploadId, state.Plan, state.Expires, state.MultipartId, state.StagingKey)
            : null);

    public Uri? PresignPart(ChunkedUpload upload, int partNumber, DateTimeOffset expires)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var request = new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = StagingKeyOf(upload),
            Verb = HttpVerb.PUT,
            Expires = expires.UtcDateTime,
            UploadId = upload.StoreUploadId,
            PartNumber = partNumber,
            Protocol = serviceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
        };
        return new Uri(client.GetPreSignedURL(request));
    }

    public Task<UploadedPart> WritePartAsync(ChunkedUpload upload, int partNumber, Stream content, long maxBytes, CancellationToken cancellationToken) =>
        throw new CdnException(CdnErrorKind.InvalidArgument, "Parts of this cloud's uploads go to their presigned URLs");

    public Task<IReadOnlyList<UploadedPart>> ListPartsAsync(ChunkedUpload upload, CancellationToken cancellationToken) =>
        writer.GuardAsync("(upload)", async () =>
        {
            ArgumentNullException.ThrowIfNull(upload);
            var response = await client.ListPartsAsync(
                new ListPartsRequest { BucketName = bucket, Key = StagingKeyOf(upload), UploadId = upload.StoreUploadId }, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<UploadedPart>)[.. (response.Parts ?? []).Select(p => new UploadedPart(p.PartNumber ?? 0, p.Size ?? 0, p.ETag))];
        });

    public Task<IStagedFile> AssembleAsync(ChunkedUpload upload, IReadOnlyList<UploadedPart> parts, long maxBytes, CancellationToken cancellationToken) =>
        writer.GuardAsync("(upload)", async () =>
        {
            ArgumentNullException.ThrowIfNull(upload);
            ArgumentNullException.ThrowIfNull(parts);
            if (parts.Any(p => string.IsNullOrEmpty(p.ETag)))
            {
                throw CdnException.InvalidArgument("Every part needs the ETag S3 answered for it");
            }

            var staging = StagingKeyOf(upload);
            try
            {
                await client.CompleteMultipartUploadAsync(
                    new CompleteMultipartUploadRequest { BucketName = bucket, Key = staging, UploadId = upload.StoreUploadId, PartETags = [.. parts.Select(p => new PartETag(p.Number, p.ETag))] },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
            {
                throw CdnException.InvalidArgument("The parts do not complete this upload (missing, too small or with wrong ETags)");
            }

            await client.DeleteObjectAsync(bucket, SessionKey(upload.Id), cancellationToken).ConfigureAwait(false);
            var size = await writer.SizeOfKeyAsync(staging, cancellationToken).ConfigureAwait(false) ?? 0;
            var staged = writer.Staged(staging, size);
            if (size > maxBytes)
            {
                await staged.DisposeAsync().ConfigureAwait(false);
                throw new CdnException(CdnErrorKind.UploadTooLarge, "The file is larger than this cloud accepts");
            }

            return (IStagedFile)staged;
        });

    public Task AbortAsync(ChunkedUpload upload, CancellationToken cancellationToken) =>
        writer.GuardAsync("(upload)", async () =>
        {
            ArgumentNullException.ThrowIfNull(upload);
            await writer.AbortQuietlyAsync(StagingKeyOf(upload), upload.StoreUploadId!).ConfigureAwait(false);
            await client.DeleteObjectAsync(bucket, SessionKey(upload.Id), cancellationToken).ConfigureAwait(false);
            return true;
        });

    private static bool IsUploadId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    private string SessionKey(string id) => prefix + SessionFolder + id + ".json";

    // Read back from the session object, never from anything the client sends.
    private static string StagingKeyOf(ChunkedUpload upload) => upload.StoreKey ?? throw new InvalidOperationException("Not an S3 upload session.");

    private async Task<SessionState?> ReadStateAsync(string uploadId, CancellationToken cancellationToken)
    {
        if (!IsUploadId(uploadId))
        {
            return null;
        }

        try
        {
            using var response = await client.GetObjectAsync(bucket, SessionKey(uploadId), cancellationToken).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(response.ResponseStream, S3SessionJson.Default.SessionState, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record SessionState(string Plan, DateTimeOffset Expires, string MultipartId, string StagingKey);

    [JsonSerializable(typeof(SessionState))]
    private sealed partial class S3SessionJson : JsonSerializerContext;
}
