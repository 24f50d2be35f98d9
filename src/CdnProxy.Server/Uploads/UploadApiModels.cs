using System.Text.Json;
using System.Text.Json.Serialization;
using CdnProxy.Core.Assets;

namespace CdnProxy.Server.Uploads;

/// <summary>A page of a folder listing (Pixelbin's <c>listFiles</c> shape).</summary>
public sealed record AssetListResponse(IReadOnlyList<AssetView> Items, AssetListPage Page);

/// <summary>Where a listing page stands.</summary>
public sealed record AssetListPage(string Type, int Current, int Size, bool HasNext);

/// <summary>The body of <c>PATCH /api/v1/assets/{cloud}/{fileId}</c>: fields left out are kept.</summary>
public sealed record AssetPatchRequest(IReadOnlyList<string>? Tags, JsonElement? Metadata, string? Access);

/// <summary>The body of <c>POST /api/v1/upload/signed-url</c> (Pixelbin's <c>createSignedUrlV2</c> fields, plus cloud, zone and size).</summary>
public sealed record SignedUrlRequest(
    string? Cloud,
    string? Zone,
    string? Name,
    string? Path,
    string? Format,
    string? Access,
    IReadOnlyList<string>? Tags,
    JsonElement? Metadata,
    bool? Overwrite,
    bool? FilenameOverride,
    int? Expiry,
    long? Size);

/// <summary>A signed upload: where to send the parts and how to complete it.</summary>
/// <param name="PresignedUrl">Pixelbin's shape: <c>PUT url&amp;partNumber=N</c> per chunk (local clouds), <c>POST url</c> with the parts to complete.</param>
/// <param name="UploadId">The session.</param>
/// <param name="ChunkSize">The part size clients should use.</param>
/// <param name="ExpiresAt">When the URLs stop working.</param>
/// <param name="Parts">For S3 clouds (when the size was given): one presigned URL per part, each sent with <c>PUT</c> and its raw bytes.</param>
public sealed record SignedUrlResponse(PresignedUrl PresignedUrl, string UploadId, int ChunkSize, DateTimeOffset ExpiresAt, IReadOnlyList<PresignedPart>? Parts);

/// <summary>Pixelbin's <c>presignedUrl</c>.</summary>
public sealed record PresignedUrl(string Url, IReadOnlyDictionary<string, string> Fields);

/// <summary>One presigned part URL.</summary>
public sealed record PresignedPart(int PartNumber, string Url, string Method);

/// <summary>The parts of a session (for resuming).</summary>
public sealed record UploadStatusResponse(string UploadId, DateTimeOffset ExpiresAt, IReadOnlyList<UploadStatusPart> Parts);

/// <summary>One received part.</summary>
public sealed record UploadStatusPart(int PartNumber, long Size, string? ETag);

/// <summary>PixLab's <c>/store</c> answer: <c>{"status":200,"link":…,"id":…}</c> or <c>{"status":4xx,"error":…}</c>.</summary>
public sealed record PixLabStoreResponse(
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Link = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);

/// <summary>Source-generated serializer of the upload and assets APIs (camelCase, nulls left out).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowDuplicateProperties = false, Converters = [typeof(AssetAccessJsonConverter)], DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AssetView))]
[JsonSerializable(typeof(AssetListResponse))]
[JsonSerializable(typeof(AssetPatchRequest))]
[JsonSerializable(typeof(SignedUrlRequest))]
[JsonSerializable(typeof(SignedUrlResponse))]
[JsonSerializable(typeof(UploadStatusResponse))]
[JsonSerializable(typeof(UploadStatusPart))]
[JsonSerializable(typeof(PixLabStoreResponse))]
[JsonSerializable(typeof(UploadRequest))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class UploadJsonContext : JsonSerializerContext;
