using System.Text.Json;
using System.Text.Json.Serialization;
using CdnProxy.Core.Assets;
using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Uploads;

/// <summary>
/// A file or folder as Pixelbin's upload and listing answers show it: <c>_id</c>, <c>fileId</c> (the path inside the
/// cloud exactly as in its CDN URL), <c>name</c>, <c>path</c>, <c>format</c>, <c>size</c>, <c>access</c>, <c>tags</c>,
/// <c>metadata</c>, <c>width</c>/<c>height</c>, <c>context.meta</c> and <c>url</c>.
/// </summary>
public sealed record AssetView
{
    [JsonPropertyName("_id")]
    public string? Id { get; init; }

    /// <summary><c>file</c> or <c>folder</c>.</summary>
    public required string Type { get; init; }

    public required string Name { get; init; }

    /// <summary>The containing folder (empty for the root).</summary>
    public required string Path { get; init; }

    public required string FileId { get; init; }

    public required string Cloud { get; init; }

    public string? Zone { get; init; }

    public string? Format { get; init; }

    public long? Size { get; init; }

    public string? Access { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public JsonElement? Metadata { get; init; }

    public string? AssetType { get; init; }

    public int? Width { get; init; }

    public int? Height { get; init; }

    public AssetContext? Context { get; init; }

    public bool? IsOriginal { get; init; }

    /// <summary>The CDN URL of the original (a private file's needs a signature: docs/signing.md).</summary>
    public string? Url { get; init; }

    public string? Comment { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The view of a stored file; <paramref name="baseUrl"/> is the CDN's scheme and host.</summary>
    public static AssetView Of(StoredAsset asset, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(asset);
        var file = asset.File;
        var record = file.Record;
        var slash = file.Path.LastIndexOf('/');
        var fileName = file.Path[(slash + 1)..];
        var extension = System.IO.Path.GetExtension(fileName);
        var encoded = AssetPaths.Encode(file.Path);
        return new AssetView
        {
            Id = record?.Id,
            Type = "file",
            Name = extension.Length > 0 ? fileName[..^extension.Length] : fileName,
            Path = slash < 0 ? string.Empty : file.Path[..slash],
            FileId = encoded,
            Cloud = asset.Target.Cloud,
            Zone = asset.Target.Zone,
            Format = record?.Meta?.Format ?? (extension.Length > 0 ? FormatNames.Normalise(extension) : null),
            Size = file.Size,
            Access = file.Access.ToName(),
            Tags = record?.Tags ?? [],
            Metadata = record?.Metadata ?? AssetRecordJson.EmptyObject,
            AssetType = "image",
            Width = record?.Meta?.Width,
            Height = record?.Meta?.Height,
            Context = new AssetContext([], new AssetContextRequest(new Dictionary<string, string>(), new Dictionary<string, string>()), record?.Meta),
            IsOriginal = true,
            Url = CdnUrl(baseUrl, asset.Target, encoded),
            Comment = record?.Comment,
            CreatedAt = record?.CreatedAt ?? file.LastModified,
            UpdatedAt = record?.UpdatedAt ?? file.LastModified,
        };
    }

    /// <summary>The view of a folder.</summary>
    public static AssetView Folder(UploadTarget target, string folderPath)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(folderPath);
        var slash = folderPath.LastIndexOf('/');
        return new AssetView
        {
            Type = "folder",
            Name = folderPath[(slash + 1)..],
            Path = slash < 0 ? string.Empty : folderPath[..slash],
            FileId = AssetPaths.Encode(folderPath),
            Cloud = target.Cloud,
            Zone = target.Zone,
        };
    }

    private static string CdnUrl(string baseUrl, UploadTarget target, string encodedFileId) =>
        $"{baseUrl.TrimEnd('/')}/v2/{target.Cloud}/{(target.Zone is null ? string.Empty : target.Zone + "/")}original/{encodedFileId}";
}

/// <summary>Pixelbin's <c>context</c>: no steps for an original, an empty request, and the header facts.</summary>
public sealed record AssetContext(IReadOnlyList<string> Steps, AssetContextRequest Req, ImageMeta? Meta);

/// <summary>Pixelbin's <c>context.req</c>.</summary>
public sealed record AssetContextRequest(IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Query);
