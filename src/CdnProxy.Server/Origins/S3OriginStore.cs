using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CdnProxy.Core;
using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Origins;

/// <summary>
/// Originals in an S3 bucket (AWS or S3-compatible). One client per origin, reused for every fetch; the body is
/// streamed into a pooled buffer and the byte cap is enforced while reading.
/// </summary>
public sealed class S3OriginStore : IOriginStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly long _maxBytes;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public S3OriginStore(OriginOptions options, TimeProvider time, ILogger<S3OriginStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucket = options.Bucket!;
        _prefix = NormalisePrefix(options.Prefix);
        _maxBytes = options.MaxBytes;
        _timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        _time = time;
        _logger = logger;
        _client = CreateClient(options, _timeout);
    }

    public override string ToString() => $"s3 {_bucket}/{_prefix}";

    public async Task<OriginObject?> FetchAsync(string filePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        using var budget = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            var request = new GetObjectRequest { BucketName = _bucket, Key = _prefix + filePath };
            using var response = await _client.GetObjectAsync(request, linked.Token).ConfigureAwait(false);
            return await CappedBodyReader.ReadAsync(
                response.ResponseStream, response.ContentLength, _maxBytes, response.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : null, linked.Token)
                .ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw OriginLog.Failure(_logger, ToString(), filePath, CdnErrorKind.OriginTimeout, e);
        }
        catch (Exception e) when (IsTimeout(e))
        {
            throw OriginLog.Failure(_logger, ToString(), filePath, CdnErrorKind.OriginTimeout, e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            throw OriginLog.Failure(_logger, ToString(), filePath, CdnErrorKind.OriginFailed, e);
        }
    }

    public void Dispose() => _client.Dispose();

    private static AmazonS3Client CreateClient(OriginOptions options, TimeSpan timeout)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            Timeout = timeout,

            // One quick retry for a dropped connection or a 5xx; anything more would outlast the fetch budget.
            MaxErrorRetry = 1,

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

        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    private static string NormalisePrefix(string? prefix)
    {
        var trimmed = (prefix ?? string.Empty).Trim('/');
        return trimmed.Length == 0 ? string.Empty : trimmed + "/";
    }

    private static bool IsTimeout(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
