using System.Diagnostics;
using CdnProxy.Core;
using CdnProxy.Server.Origins;
using CdnProxy.Server.Origins.Local;
using CdnProxy.Server.Origins.S3;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>The S3 origin against a real s3rver over loopback.</summary>
public sealed class S3OriginStoreTests(S3rverFixture s3) : IClassFixture<S3rverFixture>, IDisposable
{
    private readonly OriginTestServices _services = new();

    [Fact]
    public async Task Fetch_ReturnsTheObjectsBytesAndDate()
    {
        using var fetched = await _services.Create(s3.Origin()).FetchAsync("photos/flower.jpg", CancellationToken.None);

        Assert.Equal(S3rverFixture.Flower, fetched!.Content.ToArray());
        Assert.NotNull(fetched.LastModified);
    }

    [Theory]
    [InlineData("photos")]
    [InlineData("photos/")]
    [InlineData("/photos/")]
    public async Task Prefix_IsPutBeforeTheFilePath(string prefix)
    {
        using var fetched = await _services.Create(s3.Origin(prefix)).FetchAsync("flower.jpg", CancellationToken.None);

        Assert.Equal(S3rverFixture.Flower, fetched!.Content.ToArray());
    }

    [Fact]
    public async Task Stream_SendsTheRequestedRange_AndNeverLogsThePresignedUrl()
    {
        var store = (CdnProxy.Server.Streaming.IStreamingOrigin)_services.Create(s3.Origin());
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Headers.Range = "bytes=0-9";
        using var body = new MemoryStream();
        context.Response.Body = body;
        var headers = new CdnProxy.Server.Streaming.StoredFileHeaders(new CdnProxy.Server.Hosting.HttpOptions(), disposition: null, cacheableUntil: null, TimeProvider.System);

        var sent = await store.StreamAsync(new CdnProxy.Server.Streaming.StoredFileRequest(context, "photos/flower.jpg", HasValidSignature: false, headers), CancellationToken.None);

        Assert.True(sent);
        Assert.Equal(206, context.Response.StatusCode);
        Assert.Equal(S3rverFixture.Flower[..10], body.ToArray());
        Assert.DoesNotContain("X-Amz-", _services.Logs.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MissingKey_IsNotFound()
    {
        Assert.Null(await _services.Create(s3.Origin()).FetchAsync("photos/missing.jpg", CancellationToken.None));
        Assert.Null(await _services.Create(s3.Origin("photos")).FetchAsync("tulips.png", CancellationToken.None));
    }

    [Fact]
    public async Task ObjectOverTheCap_FailsWithSourceTooLarge()
    {
        var error = await Assert.ThrowsAsync<CdnException>(
            () => _services.Create(s3.Origin(maxBytes: 10_000)).FetchAsync("photos/flower.jpg", CancellationToken.None));

        Assert.Equal(CdnErrorKind.SourceTooLarge, error.Kind);
    }

    [Fact]
    public async Task ObjectExactlyAtTheCap_IsServed()
    {
        using var fetched = await _services.Create(s3.Origin(maxBytes: S3rverFixture.Tulips.Length)).FetchAsync("tulips.png", CancellationToken.None);

        Assert.Equal(S3rverFixture.Tulips.Length, fetched!.Content.Length);
    }

    [Fact]
    public async Task Fallback_IsAskedOnlyWhenS3SaysNotFound()
    {
        var options = new S3OriginOptions
        {
            Bucket = S3rverFixture.Bucket,
            ServiceUrl = s3.ServiceUrl,
            AccessKey = S3rverFixture.AccessKey,
            SecretKey = S3rverFixture.SecretKey,
            Fallback = new LocalOriginOptions { Root = TestImages.SamplesFolder },
        };
        var store = _services.Create(options);

        using var fromLocal = await store.FetchAsync("photo-3mp-flower.jpg", CancellationToken.None);
        using var fromS3 = await store.FetchAsync("tulips.png", CancellationToken.None);

        Assert.IsType<FallbackOriginStore>(store);
        Assert.Equal(S3rverFixture.Flower, fromLocal!.Content.ToArray());
        Assert.Equal(S3rverFixture.Tulips, fromS3!.Content.ToArray());
        Assert.Null(await store.FetchAsync("nowhere.jpg", CancellationToken.None));
    }

    [Fact]
    public async Task WrongCredentials_FailWithOriginFailed_AndTheSecretIsNeitherLoggedNorReturned()
    {
        const string secret = "wrong-secret-3f9a7c";

        var error = await Assert.ThrowsAsync<CdnException>(
            () => _services.Create(s3.Origin(accessKey: "NOT-AN-ACCOUNT", secretKey: secret)).FetchAsync("photos/flower.jpg", CancellationToken.None));

        Assert.Equal(CdnErrorKind.OriginFailed, error.Kind);
        Assert.Contains("7102", _services.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, _services.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingBucket_FailsWithOriginFailed_NotNotFound()
    {
        var error = await Assert.ThrowsAsync<CdnException>(
            () => _services.Create(s3.Origin(bucket: "no-such-bucket")).FetchAsync("photos/flower.jpg", CancellationToken.None));

        Assert.Equal(CdnErrorKind.OriginFailed, error.Kind);
    }

    [Fact]
    public async Task ServerDown_FailsWithOriginFailedQuickly()
    {
        using var closed = new RefusingPort();
        var options = new S3OriginOptions
        {
            Bucket = S3rverFixture.Bucket,
            ServiceUrl = "http://" + closed.Endpoint,
            AccessKey = S3rverFixture.AccessKey,
            SecretKey = S3rverFixture.SecretKey,
            TimeoutSeconds = 30,
        };
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<CdnException>(() => _services.Create(options).FetchAsync("photos/flower.jpg", CancellationToken.None));

        // Quickly: well before the 30-s timeout it would wait out if it missed the refusal. A bound of a few seconds also
        // timed the client's first use and its one retry's back-off (0.7 s on an idle CI run), which a busy machine stretches.
        Assert.Equal(CdnErrorKind.OriginFailed, error.Kind);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task CallerCancellation_IsHonoured()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _services.Create(s3.Origin()).FetchAsync("photos/flower.jpg", cancelled.Token));
    }

    public void Dispose() => _services.Dispose();
}
