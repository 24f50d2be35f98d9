using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CdnProxy.Core;
using CdnProxy.Core.Origins;
using CdnProxy.Server.Origins.Http;
using CdnProxy.Server.Streaming;
using Microsoft.Net.Http.Headers;

namespace CdnProxy.Server.Origins.S3;

/// <summary>
/// Originals in an S3 bucket (AWS or S3-compatible). One client per origin, reused for every fetch; the body is
/// streamed into a pooled buffer and the byte cap is enforced while reading. A file's access travels in its own
/// object metadata (<see cref="AccessMetadata"/>), so it changes atomically with the bytes and costs no extra request.
/// Files sent as stored: a HEAD for existence and access, then a short-lived presigned URL streamed through
/// <see cref="OriginForwarder"/> (the endpoint is the operator's, so the private-networks handler applies).
/// </summary>
public sealed class S3OriginStore : IOriginStore, IStreamingOrigin, IDisposable
{
    /// <summary>How long a presigned URL is valid: only until the request is sent (S3 checks it when a request starts).</summary>
    private static readonly TimeSpan PresignedLifetime = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public string Kind => "s3";

    /// <summary>The user metadata key holding <c>private</c> on private files (<c>x-amz-meta-cdnproxy-access</c>).</summary>
    public const string AccessMetadata = "cdnproxy-access";

    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly long _maxBytes;
    private readonly TimeSpan _timeout;
    private readonly OriginPaceLimits _storedFilePace;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OriginForwarder _forwarder;
    private readonly Protocol _protocol;

    public S3OriginStore(S3OriginOptions options, OriginForwarder forwarder, TimeProvider time, ILogger<S3OriginStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucket = options.Bucket!;
        _prefix = options.KeyPrefix;
        _maxBytes = options.MaxBytes;
        _timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        _storedFilePace = OriginPaceLimits.Of(options, stall: _timeout);
        _time = time;
        _logger = logger;
        _forwarder = forwarder;
        _protocol = options.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS;

        // One quick retry for a dropped connection or a 5xx; anything more would outlast the fetch budget.
        _client = S3Clients.Create(options, _timeout, maxErrorRetry: 1);
    }

    public override string ToString() => $"s3 {_bucket}/{_prefix}";

    public async Task<OriginObject?> FetchAsync(string filePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        if (StoragePath.IsReserved(filePath))
        {
            return null;
        }

        using var budget = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            var request = new GetObjectRequest { BucketName = _bucket, Key = _prefix + filePath };
            using var response = await _client.GetObjectAsync(request, linked.Token).ConfigureAwait(false);
            return await CappedBodyReader.ReadAsync(
                response.ResponseStream, response.ContentLength, _maxBytes, response.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : null,
                AccessOf(response.Metadata), linked.Token)
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
        catch (AmazonServiceException e) when (S3Throttling.Is(e))
        {
            throw S3Throttling.Failure(e, _time.GetUtcNow(), _logger, ToString(), filePath);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            throw OriginLog.Failure(_logger, ToString(), filePath, CdnErrorKind.OriginFailed, e);
        }
    }

    public async Task<bool> StreamAsync(StoredFileRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (StoragePath.IsReserved(request.FilePath))
        {
            return false;
        }

        var key = _prefix + request.FilePath;
        if (await HeadAsync(key, request.FilePath, cancellationToken).ConfigureAwait(false) is not { } head)
        {
            return false;
        }

        var access = AccessOf(head.Metadata);
        PrivateFiles.EnsureVisible(access, request.HasValidSignature);
        if (!PreconditionsHold(request.Context.Request.Headers, head))
        {
            // Answered from the HEAD: S3-compatible servers that ignore If-Match on a GET (s3rver does) would send the
            // whole changed file to a client that asked for one version only (a lost-update check, a resumed copy).
            request.Context.Response.StatusCode = StatusCodes.Status412PreconditionFailed;
            request.Headers.Apply(request.Context.Response, request.FilePath, access);
            return true;
        }

        var url = _client.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = key,
            Verb = HttpMethods.IsHead(request.Context.Request.Method) ? HttpVerb.HEAD : HttpVerb.GET,
            Protocol = _protocol,
            Expires = _time.GetUtcNow().UtcDateTime + PresignedLifetime,
        });
        var settings = new ForwardSettings(
            OriginHttpClients.PrivateAllowed,
            _timeout,
            _storedFilePace,
            response =>
            {
                // Some S3-compatible servers leave the ETag off a 304; the HEAD's is the same object's.
                if (response.Headers.ETag.Count == 0 && !string.IsNullOrEmpty(head.ETag))
                {
                    response.Headers.ETag = head.ETag;
                }

                // S3 leaves the size off a 416 (RFC 9110 §15.5.17 wants it there); the HEAD's is the same object's.
                if (response.StatusCode == StatusCodes.Status416RangeNotSatisfiable && response.Headers.ContentRange.Count == 0)
                {
                    response.Headers.ContentRange = $"bytes */{head.ContentLength}";
                }

                request.Headers.Apply(response, request.FilePath, access);
            },
            ForwardRange: IfRangeHolds(request.Context.Request.Headers, head));
        var outcome = await _forwarder.ForwardAsync(request.Context, new Uri(url), settings, cancellationToken).ConfigureAwait(false);
        if (outcome.Result == ForwardResult.Cut)
        {
            OriginLog.RelayCut(_logger, ToString(), request.FilePath, outcome.Error?.Message);
            return true;
        }

        return outcome.Result switch
        {
            ForwardResult.Sent or ForwardResult.ClientGone => true,
            ForwardResult.NotFound => false, // deleted between the HEAD and the GET
            _ => throw OriginForwarder.Failure(outcome, _logger, ToString(), request.FilePath),
        };
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The object's metadata (a HEAD), or null when it does not exist.</summary>
    private async Task<GetObjectMetadataResponse?> HeadAsync(string key, string filePath, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = key }, linked.Token).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
        catch (Exception e) when ((e is OperationCanceledException && !cancellationToken.IsCancellationRequested) || IsTimeout(e))
        {
            throw OriginLog.Failure(_logger, ToString(), filePath, CdnErrorKind.OriginTimeout, e);
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

    /// <summary>
    /// Whether the client's <c>If-Range</c> (if any) names the version the HEAD found, so its <c>Range</c> may go to S3.
    /// S3-compatible servers that ignore <c>If-Range</c> (s3rver does) would otherwise answer a range of a changed
    /// object, and a resumed download would splice two versions; AWS checks it again on the GET.
    /// </summary>
    public static bool IfRangeHolds(IHeaderDictionary headers, GetObjectMetadataResponse head)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(head);
        return RangeCondition.Holds(headers.IfRange.ToString(), tag => MatchesStrongly(tag, head), ModifiedSeconds(head));
    }

    /// <summary>
    /// Whether the client's <c>If-Match</c>, or without one its <c>If-Unmodified-Since</c>, holds for the version the
    /// HEAD found (RFC 9110 §13.2.2: strong comparison; <c>*</c> holds for any existing file; a date that does not
    /// parse is ignored, as the RFC says). False: the answer is 412.
    /// </summary>
    public static bool PreconditionsHold(IHeaderDictionary headers, GetObjectMetadataResponse head)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(head);
        if (headers.IfMatch.Count > 0)
        {
            if (!EntityTagHeaderValue.TryParseList(headers.IfMatch, out var tags))
            {
                return false;
            }

            if (tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any)))
            {
                return true;
            }

            return tags.Any(tag => MatchesStrongly(tag, head));
        }

        return headers.IfUnmodifiedSince.Count == 0
            || !HeaderUtilities.TryParseDate(headers.IfUnmodifiedSince.ToString(), out var since)
            || ModifiedSeconds(head) is not { } modified
            || modified <= since.ToUnixTimeSeconds();
    }

    /// <summary>A strong match of <paramref name="tag"/> with the HEAD's ETag (RFC 9110 §8.8.3.2: neither weak, same tag).</summary>
    private static bool MatchesStrongly(EntityTagHeaderValue tag, GetObjectMetadataResponse head) =>
        EntityTagHeaderValue.TryParse(head.ETag, out var current) && tag.Compare(current, useStrongComparison: true);

    /// <summary>The HEAD's Last-Modified in whole seconds, as HTTP dates carry it; null when it has none.</summary>
    private static long? ModifiedSeconds(GetObjectMetadataResponse head) =>
        head.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()).ToUnixTimeSeconds() : null;

    /// <summary>The access an object's metadata records: private only when it says so.</summary>
    public static AssetAccess AccessOf(MetadataCollection metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata[AccessMetadata] == AssetAccessNames.Private ? AssetAccess.Private : AssetAccess.PublicRead;
    }

    /// <summary>Whether the SDK gave up on its own request timeout (a <see cref="TimeoutException"/> inside).</summary>
    internal static bool IsTimeout(Exception e)
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
