using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Tests.Common;
using CdnProxy.Urls.Client.Uploads;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>Uploads into a writable S3 origin on a real s3rver: the same faces, presigned chunked uploads, atomic commits.</summary>
public sealed class S3UploadTests(S3rverFixture s3) : IClassFixture<S3rverFixture>, IDisposable
{
    private const string Cloud = "bucket";
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private readonly string _prefix = "up-" + Guid.NewGuid().ToString("N")[..8];
    private UploadTestClient? _client;

    private UploadTestClient Client => _client ??= new UploadTestClient(Settings());

    public void Dispose() => _client?.Dispose();

    [Fact]
    public async Task Upload_Serves_Lists_AndDeletes_WithTheRecordBesideTheObject()
    {
        var (response, json) = await Client.UploadAsync(UploadTestClient.Form(Flower, fields: [("cloud", Cloud), ("path", "p"), ("name", "f"), ("tags", "s3"), ("metadata", "{\"a\":1}")]));
        using var thumbnail = await Client.GetImageAsync(((string)json!["url"]!).Replace("/original/", "/t.resize(w:80)/", StringComparison.Ordinal));
        var (_, listing) = await Client.ApiAsync(HttpMethod.Get, $"/api/v1/assets?cloud={Cloud}&path=p");
        var keys = await KeysAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("p/f.jpeg", 2268), ((string?)json["fileId"], (int?)json["width"]));
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        var listed = Assert.Single(listing!["items"]!.AsArray());
        Assert.Equal(("p/f.jpeg", "s3", 1), ((string?)listed!["fileId"], (string?)listed["tags"]![0], (int?)listed["metadata"]!["a"]));
        Assert.Equal([$"{_prefix}/p/f.jpeg", $"{_prefix}/p/f.jpeg.cdnproxy.json"], keys);

        var (deleted, _) = await Client.ApiAsync(HttpMethod.Delete, $"/api/v1/assets/{Cloud}/p/f.jpeg");
        using var afterDelete = await Client.GetImageAsync(((string)json["url"]!).Replace("/original/", "/t.resize(w:80)/", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.StatusCode);
        Assert.Empty(await KeysAsync());
    }

    [Fact]
    public async Task PrivateAccess_TravelsInTheObjectsMetadata_AndPatchFlipsIt()
    {
        var (_, json) = await Client.UploadAsync(UploadTestClient.Form(Flower, fields: [("cloud", Cloud), ("name", "secret"), ("access", "private")]));
        var url = ((string)json!["url"]!).Replace("/original/", "/t.resize(w:40)/", StringComparison.Ordinal);

        using var unsigned = await Client.GetImageAsync(url);
        using var signed = await Client.GetImageAsync(url, signed: true);
        using var s3Client = S3Client();
        var head = await s3Client.GetObjectMetadataAsync(S3rverFixture.Bucket, _prefix + "/secret.jpeg");
        await Client.ApiAsync(HttpMethod.Patch, $"/api/v1/assets/{Cloud}/secret.jpeg", new StringContent("{\"access\":\"public-read\"}", Encoding.UTF8, "application/json"));
        using var afterPatch = await Client.GetImageAsync(url);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (unsigned.StatusCode, signed.StatusCode));
        Assert.Equal("private", head.Metadata["cdnproxy-access"]);
        Assert.Equal(HttpStatusCode.OK, afterPatch.StatusCode);
    }

    [Fact]
    public async Task SixtyMegabytes_ThroughPresignedParts_WithOneChunkRetried()
    {
        var big = GeneratedImages.NoiseTiff(4500, 4500);
        var flaky = new FlakyPartHandler(failingPart: 3) { InnerHandler = new SplitHandler(Client.Factory.Server.CreateHandler(), new Uri(s3.ServiceUrl).Authority) };
        using var http = new HttpClient(flaky);
        var uploader = new Uploader(http, new Uri("http://localhost/"), UploadTestClient.ApiKey);

        var file = await uploader.UploadAsync(
            new MemoryStream(big), new UploadArguments { Cloud = Cloud, Path = "big", Name = "sixty" }, new UploadOptions { RetryDelay = TimeSpan.Zero });
        using var s3Client = S3Client();
        using var stored = await s3Client.GetObjectAsync(S3rverFixture.Bucket, _prefix + "/big/sixty.tiff");
        using var copy = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(copy);

        Assert.Equal(("big/sixty.tiff", big.Length, 4500), (file.FileId, file.Size, (int?)file.Json["width"]));
        Assert.Equal(Enumerable.Range(1, 6).Append(3).Order(), flaky.PartAttempts.Order()); // 60.75 MB: six parts of 10 MB
        Assert.Equal(big, copy.ToArray());
        Assert.Equal([$"{_prefix}/big/sixty.tiff", $"{_prefix}/big/sixty.tiff.cdnproxy.json"], (await KeysAsync()).Where(k => !k.Contains(".cdnproxy-uploads/", StringComparison.Ordinal)));
        using var served = await Client.GetImageAsync(file.Url.Replace("/original/", "/t.resize(w:64)/", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task TwoConcurrentUploadsOfOnePath_ExactlyOneWins()
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            (await Client.UploadAsync(UploadTestClient.Form(Flower, fields: [("cloud", Cloud), ("name", "race")]))).Response.StatusCode));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses.Order());
        Assert.Equal([$"{_prefix}/race.jpeg", $"{_prefix}/race.jpeg.cdnproxy.json"], await KeysAsync());
    }

    [Fact]
    public async Task APresignedUploadNeedsTheSize()
    {
        var (response, json) = await Client.ApiAsync(HttpMethod.Post, "/api/v1/upload/signed-url", new StringContent($"{{\"cloud\":\"{Cloud}\",\"name\":\"n\"}}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("size", (string?)json!["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quota_CountsTheBucketsObjects_NotRecords_And507WhenFull()
    {
        using var client = new UploadTestClient(new Dictionary<string, string?>(Settings())
        {
            [$"CdnProxy:Clouds:{Cloud}:Origin:QuotaBytes"] = (Flower.Length + 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        var (first, _) = await client.UploadAsync(UploadTestClient.Form(Flower, fields: [("cloud", Cloud), ("name", "q1")]));
        var (second, error) = await client.UploadAsync(UploadTestClient.Form(Flower, fields: [("cloud", Cloud), ("name", "q2")]));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode)507, second.StatusCode);
        Assert.Equal("quota_exceeded", (string?)error!["error"]!["code"]);
        Assert.Equal([$"{_prefix}/q1.jpeg", $"{_prefix}/q1.jpeg.cdnproxy.json"], await KeysAsync());
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = s3.Settings($"CdnProxy:Clouds:{Cloud}:Origin", _prefix);
        settings[$"CdnProxy:Clouds:{Cloud}:Origin:Writable"] = "true";
        settings[$"CdnProxy:Clouds:{Cloud}:Origin:MaxBytes"] = "100000000";
        settings[$"CdnProxy:Clouds:{Cloud}:Origin:TimeoutSeconds"] = "30";
        return settings;
    }

    private AmazonS3Client S3Client() => new(
        new BasicAWSCredentials(S3rverFixture.AccessKey, S3rverFixture.SecretKey),
        new AmazonS3Config { ServiceURL = s3.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    /// <summary>Every object key under this test's prefix, staging objects included.</summary>
    private async Task<List<string>> KeysAsync()
    {
        using var client = S3Client();
        var listing = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3rverFixture.Bucket, Prefix = _prefix + "/" });
        return [.. (listing.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal)];
    }
}
