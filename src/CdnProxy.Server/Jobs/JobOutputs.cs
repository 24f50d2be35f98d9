using Amazon.S3;
using Amazon.S3.Model;
using CdnProxy.Core;
using CdnProxy.Server.Origins.S3;
using CdnProxy.Server.Uploads;

namespace CdnProxy.Server.Jobs;

/// <summary>Where a stored output is.</summary>
/// <param name="Url">Its address for clients (a CDN URL, or <c>s3://bucket/key</c>).</param>
/// <param name="Bytes">Its size.</param>
/// <param name="File">The stored file when it went to a cloud (null for S3).</param>
public sealed record StoredOutput(string Url, long Bytes, RenderSource? File = null);

/// <summary>
/// Stores rendered outputs: into a writable cloud through the upload path (served by the CDN at
/// <c>/v2/{cloud}/original/{path}</c>), by default the jobs cloud under <c>jobs/{id}/outputs</c>; or into an S3 bucket
/// given as <c>s3://key:secret@bucket/path</c> (endpoint <c>Jobs:S3ServiceUrl</c>).
/// </summary>
public sealed class JobOutputs(UploadService uploads, JobsOptions options)
{
    public async Task<StoredOutput> StoreAsync(string jobId, JobDestination? destination, string name, byte[] bytes, string contentType, string baseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (destination is { Kind: JobDestinationKind.S3 } s3)
        {
            var key = (s3.Folder.Length > 0 ? s3.Folder + "/" : string.Empty) + name + "." + Extension(contentType);
            using var client = S3Clients.Create(
                new S3OriginOptions { Bucket = s3.Container, AccessKey = s3.AccessKey, SecretKey = s3.SecretKey, ServiceUrl = options.S3ServiceUrl, Region = options.S3Region },
                S3Clients.WriteTimeout,
                maxErrorRetry: 2);
            try
            {
                await client.PutObjectAsync(
                    new PutObjectRequest { BucketName = s3.Container, Key = key, InputStream = new MemoryStream(bytes), ContentType = contentType },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e)
            {
                throw new CdnException(CdnErrorKind.OriginFailed, $"storing '{name}' in s3://{s3.Container} failed ({e.StatusCode})", e);
            }

            return new StoredOutput($"s3://{s3.Container}/{key}", bytes.Length);
        }

        var target = uploads.JobsTarget(destination?.Container ?? options.Cloud, null);
        var folder = destination?.Folder ?? $"{JobsOptions.FilesFolder}/{jobId}/outputs";
        var staged = await uploads.StageAsync(target, new MemoryStream(bytes), bytes.Length, cancellationToken).ConfigureAwait(false);
        var stored = await uploads.FinishAsync(target, new UploadRequest { Path = folder, Name = name, Overwrite = true }, staged, cancellationToken).ConfigureAwait(false);
        return new StoredOutput($"{baseUrl}/v2/{target.Cloud}/original/{stored.File.Path}", stored.File.Size, new RenderSource(target.Cloud, stored.File.Path));
    }

    private static string Extension(string contentType) => contentType switch
    {
        "image/jpeg" => "jpg",
        "image/svg+xml" => "svg",
        _ => contentType.StartsWith("image/", StringComparison.Ordinal) ? contentType["image/".Length..] : "bin",
    };
}
