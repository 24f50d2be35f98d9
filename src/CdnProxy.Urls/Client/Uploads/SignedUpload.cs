using System.Text.Json.Serialization;

namespace CdnProxy.Urls.Client.Uploads;

/// <summary>
/// A signed upload as the server issued it (<c>POST /api/v1/upload/signed-url</c>). Serialisable: keep it to resume an
/// interrupted upload with <see cref="Uploader.ResumeAsync"/>.
/// </summary>
public sealed record SignedUpload
{
    /// <summary>The URL parts go to (<c>PUT url&amp;partNumber=N</c>, local clouds) and that completes the upload (<c>POST</c>).</summary>
    [JsonPropertyName("presignedUrl")]
    public required PresignedUrlInfo PresignedUrl { get; init; }

    /// <summary>The session id.</summary>
    [JsonPropertyName("uploadId")]
    public required string UploadId { get; init; }

    /// <summary>The part size the server cut presigned parts by.</summary>
    [JsonPropertyName("chunkSize")]
    public int ChunkSize { get; init; }

    /// <summary>When the URLs stop working.</summary>
    [JsonPropertyName("expiresAt")]
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>For S3 clouds: one presigned URL per part; null when parts go to <see cref="PresignedUrl"/>.</summary>
    [JsonPropertyName("parts")]
    public IReadOnlyList<PresignedPartInfo>? Parts { get; init; }
}

/// <summary>Pixelbin's <c>presignedUrl</c>: the URL and form fields to send with each part.</summary>
public sealed record PresignedUrlInfo
{
    /// <summary>The signed URL.</summary>
    [JsonPropertyName("url")]
    public required string Url { get; init; }

    /// <summary>Fields to repeat with each part and the completion.</summary>
    [JsonPropertyName("fields")]
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
}

/// <summary>One presigned part URL.</summary>
public sealed record PresignedPartInfo
{
    /// <summary>The part number, from 1.</summary>
    [JsonPropertyName("partNumber")]
    public int PartNumber { get; init; }

    /// <summary>Where to <c>PUT</c> the part's raw bytes.</summary>
    [JsonPropertyName("url")]
    public required string Url { get; init; }
}
