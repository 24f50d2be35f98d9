using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CdnProxy.Core.Assets;
using CdnProxy.Core.Origins;
using CdnProxy.Server.Origins.S3;
using CdnProxy.Server.Tests.Origins;

namespace CdnProxy.Server.Tests.Streaming;

/// <summary>
/// A folder of files that are not rendered, made at test time (never committed): a 50 MiB "video" of seeded random
/// bytes, a small private PDF (local sidecar record) and a small public one.
/// </summary>
public sealed class StoredFiles : IDisposable
{
    public const int BigSize = 50 * 1024 * 1024;

    public const string Big = "clips/big.mp4";

    public const string PrivatePdf = "docs/secret.pdf";

    public const string PublicPdf = "docs/open.pdf";

    public const string Page = "docs/page.html";

    private readonly Lock _gate = new();
    private Task? _uploaded;

    public StoredFiles()
    {
        Folder = Directory.CreateTempSubdirectory("cdnproxy-stored-").FullName;
        BigBytes = new byte[BigSize];
        new Random(1234).NextBytes(BigBytes);
        Write(Big, BigBytes);
        Write(PrivatePdf, PdfBytes);
        Write(PublicPdf, PdfBytes);
        Write(Page, "<script>alert(document.cookie)</script>"u8.ToArray());
        File.WriteAllBytes(
            AssetRecordJson.SidecarPath(Path.Combine(Folder, PrivatePdf)),
            AssetRecordJson.Serialize(new AssetRecord { Id = "secret", Access = AssetAccess.Private }));
    }

    public string Folder { get; }

    public byte[] BigBytes { get; }

    public static byte[] PdfBytes { get; } = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray();

    /// <summary>The key prefix the files have in s3rver (uploaded once).</summary>
    public const string S3Prefix = "stored";

    /// <summary>Puts the files into s3rver under <see cref="S3Prefix"/> once; the private one with its access in its metadata.</summary>
    public Task EnsureUploadedAsync(S3rverFixture s3)
    {
        lock (_gate)
        {
            return _uploaded ??= UploadAsync(s3, S3Prefix);
        }
    }

    private async Task UploadAsync(S3rverFixture s3, string prefix)
    {
        ArgumentNullException.ThrowIfNull(s3);
        var config = new AmazonS3Config { ServiceURL = s3.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" };
        using var client = new AmazonS3Client(new BasicAWSCredentials(S3rverFixture.AccessKey, S3rverFixture.SecretKey), config);
        foreach (var name in new[] { Big, PrivatePdf, PublicPdf })
        {
            var request = new PutObjectRequest
            {
                BucketName = S3rverFixture.Bucket,
                Key = prefix + "/" + name,
                FilePath = Path.Combine(Folder, name),
                UseChunkEncoding = false,
            };
            if (name == PrivatePdf)
            {
                request.Metadata[S3OriginStore.AccessMetadata] = AssetAccessNames.Private;
            }

            await client.PutObjectAsync(request);
        }
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private void Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}
