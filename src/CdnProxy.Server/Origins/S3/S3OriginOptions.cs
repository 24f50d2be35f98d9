namespace CdnProxy.Server.Origins.S3;

/// <summary>An S3 bucket (AWS or S3-compatible) of originals (<c>Type: s3</c>).</summary>
public sealed class S3OriginOptions : OriginOptions
{
    public S3OriginOptions()
    {
        Type = "s3";
    }

    /// <summary>The bucket.</summary>
    public string? Bucket { get; set; }

    /// <summary>A key prefix (a "folder") put before every file path; a missing trailing <c>/</c> is added.</summary>
    public string? Prefix { get; set; }

    /// <summary>An S3-compatible endpoint (MinIO, R2, s3rver...); empty uses AWS in <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The AWS region (also the signing region of a <see cref="ServiceUrl"/>); default <c>us-east-1</c>.</summary>
    public string? Region { get; set; }

    /// <summary>The access key id; with <see cref="SecretKey"/>. Both empty use the AWS default credential chain.</summary>
    public string? AccessKey { get; set; }

    /// <summary>The secret access key. Keep it in a secret store or an environment variable, never in a file in git.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), needed by most S3-compatible servers.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>The prefix as a key prefix: empty, or ending with exactly one <c>/</c>.</summary>
    public string KeyPrefix
    {
        get
        {
            var trimmed = (Prefix ?? string.Empty).Trim('/');
            return trimmed.Length == 0 ? string.Empty : trimmed + "/";
        }
    }
}
