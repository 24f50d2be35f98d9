namespace CdnProxy.Server.Origins;

/// <summary>
/// Where a cloud's or zone's originals live (<c>CdnProxy:Clouds:&lt;cloud&gt;[:Zones:&lt;slug&gt;]:Origin</c>).
/// Reference: docs/configuration.md. Never log an instance: it may hold S3 credentials.
/// </summary>
public sealed class OriginOptions
{
    /// <summary>The kind of store: <c>local</c>, <c>s3</c> or <c>http</c> (see <see cref="OriginTypes"/>).</summary>
    public string Type { get; init; } = OriginTypes.Local;

    /// <summary>Largest original read, in bytes; larger ones fail with <c>source_too_large</c>.</summary>
    public long MaxBytes { get; init; } = 25L * 1024 * 1024;

    /// <summary>Whole-fetch budget in seconds (connect, headers and body; redirects included).</summary>
    public double TimeoutSeconds { get; init; } = 5;

    /// <summary>For <c>http</c>: budget to open one TCP connection, in seconds.</summary>
    public double ConnectTimeoutSeconds { get; init; } = 2;

    /// <summary>For <c>http</c>: budget from sending a request to receiving its response headers, in seconds.</summary>
    public double FirstByteTimeoutSeconds { get; init; } = 3;

    /// <summary>For <c>local</c>: the folder; a relative path is relative to the application folder.</summary>
    public string? Root { get; init; }

    /// <summary>For <c>s3</c>: the bucket.</summary>
    public string? Bucket { get; init; }

    /// <summary>For <c>s3</c>: a key prefix (a "folder") put before every file path; a missing trailing <c>/</c> is added.</summary>
    public string? Prefix { get; init; }

    /// <summary>For <c>s3</c>: an S3-compatible endpoint (MinIO, R2, s3rver...); empty uses AWS in <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>For <c>s3</c>: the AWS region (also the signing region of a <see cref="ServiceUrl"/>); default <c>us-east-1</c>.</summary>
    public string? Region { get; init; }

    /// <summary>For <c>s3</c>: the access key id; with <see cref="SecretKey"/>. Both empty use the AWS default credential chain.</summary>
    public string? AccessKey { get; init; }

    /// <summary>For <c>s3</c>: the secret access key. Keep it in a secret store or an environment variable, never in a file in git.</summary>
    public string? SecretKey { get; init; }

    /// <summary>For <c>s3</c>: path-style addressing (<c>endpoint/bucket/key</c>), needed by most S3-compatible servers.</summary>
    public bool ForcePathStyle { get; init; } = true;

    /// <summary>For <c>http</c>: the base URL; file paths are appended to its path, percent-encoded.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>
    /// For <c>http</c>: hosts the origin (and every redirect) may name; <c>*.example.com</c> matches sub-domains.
    /// Empty allows any host, still subject to the network policy.
    /// </summary>
    public List<string> AllowedHosts { get; init; } = [];

    /// <summary>
    /// For <c>http</c>: allow connecting to loopback, private, link-local, CGNAT and unique-local addresses. Off by
    /// default, so a hostile DNS answer or redirect cannot reach internal services (SSRF).
    /// </summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>Tried when this origin says "not found"; it may not have a fallback of its own.</summary>
    public OriginOptions? Fallback { get; init; }
}

/// <summary>The supported values of <see cref="OriginOptions.Type"/>.</summary>
public static class OriginTypes
{
    public const string Local = "local";

    public const string S3 = "s3";

    public const string Http = "http";
}
