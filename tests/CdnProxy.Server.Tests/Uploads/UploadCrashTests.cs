using System.Net;
using System.Net.Http.Headers;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CdnProxy.Server.Tests.Origins;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>
/// Killing the server (SIGKILL, no shutdown code) in the middle of an upload leaves no file at its path and no partial
/// object: the bytes were only ever in CdnProxy's staging (a temporary file, an unfinished multipart upload).
/// </summary>
public sealed class UploadCrashTests(S3rverFixture s3) : IClassFixture<S3rverFixture>, IDisposable
{
    private const string Key = "crash-tests-key-0123456789abcdef0123456789";

    // 27 MB, so the upload is well under way (a local temporary file, S3 parts) when the server dies.
    private static readonly byte[] Big = GeneratedImages.NoiseTiff(3000, 3000);

    private readonly string _data = Directory.CreateTempSubdirectory("cdnproxy-crash-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task LocalCloud_KilledMidUpload_NoFileIsVisible_BeforeOrAfterARestart()
    {
        using (var server = await ServerProcess.StartAsync(Settings()))
        {
            var (sending, content) = StartStalledUploadAsync(server, [("name", "crash")], sent: 12_000_000);
            await Poll.UntilAsync(() => Directory.Exists(Temporary) && Directory.EnumerateFiles(Temporary).Any(f => new FileInfo(f).Length >= 10_000_000), TimeSpan.FromSeconds(30), "The upload did not get under way in time.");
            await server.KillAsync();
            content.Abandon();
            await Assert.ThrowsAnyAsync<Exception>(() => sending);
        }

        var uploads = Path.Combine(_data, "uploads");
        Assert.False(File.Exists(Path.Combine(uploads, "crash.tiff")));
        Assert.All(Directory.EnumerateFiles(uploads, "*", SearchOption.AllDirectories), f => Assert.StartsWith(Temporary + "/", f, StringComparison.Ordinal));

        using var restarted = new UploadTestClient(new() { ["CdnProxy:DataDirectory"] = _data });
        var (_, listing) = await restarted.ApiAsync(HttpMethod.Get, "/api/v1/assets?cloud=uploads");
        using var served = await restarted.GetImageAsync("/v2/uploads/original/crash.tiff");
        Assert.Empty(listing!["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
    }

    [Fact]
    public async Task S3Cloud_KilledMidMultipartUpload_NoObjectIsVisible()
    {
        var prefix = "crash-" + Guid.NewGuid().ToString("N")[..8];
        var settings = Settings();
        foreach (var (key, value) in s3.Settings("CdnProxy:Clouds:bucket:Origin", prefix))
        {
            settings[key] = value!;
        }

        settings["CdnProxy:Clouds:bucket:Origin:Writable"] = "true";
        var partsBefore = PartFiles().Count;
        using (var server = await ServerProcess.StartAsync(settings))
        {
            var (sending, content) = StartStalledUploadAsync(server, [("cloud", "bucket"), ("name", "crash")], sent: 20_000_000);

            // At least one 8 MiB part of the server's multipart upload reached s3rver.
            await Poll.UntilAsync(() => PartFiles().Count > partsBefore, TimeSpan.FromSeconds(30), "The upload did not get under way in time.");
            await server.KillAsync();
            content.Abandon();
            await Assert.ThrowsAnyAsync<Exception>(() => sending);
        }

        using var client = new AmazonS3Client(
            new BasicAWSCredentials(S3rverFixture.AccessKey, S3rverFixture.SecretKey),
            new AmazonS3Config { ServiceURL = s3.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        var listing = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3rverFixture.Bucket, Prefix = prefix + "/" });
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.GetObjectAsync(S3rverFixture.Bucket, prefix + "/crash.tiff"));

        Assert.Empty(listing.S3Objects ?? []);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private string Temporary => Path.Combine(_data, "uploads", ".cdnproxy-tmp");

    private Dictionary<string, string> Settings() => new()
    {
        ["CdnProxy:DataDirectory"] = _data,
        ["CdnProxy:Api:Keys:0"] = Key,
        ["CdnProxy:Uploads:MaxBytes"] = "100000000",
    };

    private static (Task<HttpResponseMessage> Sending, StalledUpload Content) StartStalledUploadAsync(ServerProcess server, (string, string)[] fields, int sent)
    {
        var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        var content = new StalledUpload(fields, Big, sent).WithHeaders();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/upload") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return (http.SendAsync(request), content);
    }

    /// <summary>Uploaded part files in s3rver's storage (its unfinished multipart uploads).</summary>
    private List<string> PartFiles() =>
        [.. Directory.EnumerateFiles(s3.DataFolder, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(f)))!.EndsWith("uploads", StringComparison.Ordinal) && int.TryParse(Path.GetFileName(f), out _))];

}
