using Amazon.S3;
using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Origins.S3;

/// <summary>
/// A complete object under the origin's <c>.cdnproxy-staging/</c> prefix; deleted on dispose (a commit copied it
/// already). Read through ranged requests of <paramref name="readTimeout"/> each.
/// </summary>
internal sealed class S3StagedObject(AmazonS3Client client, string bucket, string key, long length, TimeSpan readTimeout, TimeProvider time, ILogger logger, string origin) : IStagedFile
{
    public string Key { get; } = key;

    public long Length { get; } = length;

    public Stream OpenRead() => new S3RangeStream(client, bucket, Key, Length, readTimeout, time, logger, origin);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await client.DeleteObjectAsync(bucket, Key).ConfigureAwait(false);
        }
        catch (AmazonS3Exception)
        {
            // An unreachable store keeps the staging object; a lifecycle rule on .cdnproxy-staging/ removes it (docs/uploads.md).
        }
    }
}
