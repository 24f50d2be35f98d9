using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace CdnProxy.Server.Origins.S3;

/// <summary>Creates the S3 clients of an origin: one for fetches (the fetch budget, one retry) and one for writes.</summary>
internal static class S3Clients
{
    /// <summary>Writes move parts of up to tens of megabytes: their budget is per request, much longer than a fetch's.</summary>
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromMinutes(5);

    public static AmazonS3Client Create(S3OriginOptions options, TimeSpan timeout, int maxErrorRetry)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            Timeout = timeout,
            MaxErrorRetry = maxErrorRetry,

            // S3-compatible servers often do not implement the newer default checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        var region = string.IsNullOrWhiteSpace(options.Region) ? "us-east-1" : options.Region;
        if (string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = region;
        }

        var client = string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
        client.BeforeRequestEvent += WithPlainCopySourceSlashes;
        return client;
    }

    /// <summary>
    /// The SDK escapes every <c>/</c> of <c>x-amz-copy-source</c> (<c>bucket%2Fkey</c>); AWS accepts both forms, but
    /// S3-compatible servers (s3rver, some MinIO versions) only split on a plain <c>/</c>, as AWS documents it. Runs
    /// before signing, so the signature covers the header as sent.
    /// </summary>
    private static void WithPlainCopySourceSlashes(object sender, RequestEventArgs e)
    {
        if (e is WebServiceRequestEventArgs request && request.Headers.TryGetValue("x-amz-copy-source", out var source))
        {
            request.Headers["x-amz-copy-source"] = source.Replace("%2F", "/", StringComparison.Ordinal);
        }
    }
}
