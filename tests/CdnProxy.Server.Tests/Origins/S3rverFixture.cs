using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CdnProxy.Server.Origins.S3;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>
/// A real s3rver (installed by scripts/setup.sh --for-tests into .native/s3rver) on a free loopback port with a
/// temporary data folder; bucket <see cref="Bucket"/> holds <c>photos/flower.jpg</c> and <c>tulips.png</c>.
/// </summary>
public sealed partial class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = "originals";

    // s3rver's built-in account. s3rver 3.7.1 checks the access key id but does not verify SigV4 signatures.
    public const string AccessKey = "S3RVER";

    public const string SecretKey = "S3RVER";

    private readonly string _data = Directory.CreateTempSubdirectory("cdnproxy-s3rver-").FullName;
    private Process? _process;

    public string ServiceUrl { get; private set; } = string.Empty;

    /// <summary>s3rver's own storage folder (where it keeps the parts of unfinished multipart uploads).</summary>
    public string DataFolder => _data;

    public static byte[] Flower => TestImages.Read(TestImages.Flower);

    public static byte[] Tulips => TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));

    /// <summary>Options of an s3 origin on this server.</summary>
    public S3OriginOptions Origin(string? prefix = null, long maxBytes = 25_000_000, string bucket = Bucket, string accessKey = AccessKey, string secretKey = SecretKey) => new()
    {
        Bucket = bucket,
        Prefix = prefix,
        ServiceUrl = ServiceUrl,
        AccessKey = accessKey,
        SecretKey = secretKey,
        MaxBytes = maxBytes,
    };

    /// <summary>The settings of an s3 origin at <paramref name="path"/> (e.g. <c>CdnProxy:Clouds:x:Origin</c>).</summary>
    public Dictionary<string, string?> Settings(string path, string? prefix = null) => new()
    {
        [path + ":Type"] = "s3",
        [path + ":Bucket"] = Bucket,
        [path + ":Prefix"] = prefix,
        [path + ":ServiceUrl"] = ServiceUrl,
        [path + ":AccessKey"] = AccessKey,
        [path + ":SecretKey"] = SecretKey,
    };

    public async Task InitializeAsync()
    {
        var script = Path.Combine(TestImages.RepositoryRoot, ".native", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException("s3rver is not installed: run scripts/setup.sh --for-tests");
        }

        var start = new ProcessStartInfo("node", [script, "-d", _data, "-a", "127.0.0.1", "-p", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                ServiceUrl = "http://127.0.0.1:" + match.Groups["port"].Value;
                break;
            }
        }

        if (ServiceUrl.Length == 0)
        {
            throw new InvalidOperationException("s3rver did not start: " + await _process.StandardError.ReadToEndAsync(timeout.Token));
        }

        // s3rver logs every request: keep draining its output so it never blocks on a full pipe.
        _ = _process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        _ = _process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        await SeedAsync();
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();

    private async Task SeedAsync()
    {
        var config = new AmazonS3Config { ServiceURL = ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" };
        using var client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), config);
        await client.PutBucketAsync(Bucket);
        await PutAsync(client, "photos/flower.jpg", Flower);
        await PutAsync(client, "tulips.png", Tulips);
    }

    private static async Task PutAsync(AmazonS3Client client, string key, byte[] content)
    {
        using var body = new MemoryStream(content);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = body, UseChunkEncoding = false });
    }
}
