using System.Text.Json;
using CdnProxy.Core.Assets;
using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Uploads;

/// <summary>What an upload asks for (Pixelbin's upload fields, PixLab's <c>comment</c>); everything but the bytes.</summary>
public sealed record UploadRequest
{
    public string? Cloud { get; init; }

    public string? Zone { get; init; }

    /// <summary>File name without extension; absent: the uploaded file's name, else a random one.</summary>
    public string? Name { get; init; }

    /// <summary>The folder.</summary>
    public string? Path { get; init; }

    /// <summary>The expected format (extension); absent: the sniffed one.</summary>
    public string? Format { get; init; }

    public AssetAccess Access { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public JsonElement Metadata { get; init; } = AssetRecordJson.EmptyObject;

    /// <summary>Replace a file already at the path (its renditions are purged).</summary>
    public bool Overwrite { get; init; }

    /// <summary>When the path is taken and <see cref="Overwrite"/> is false, pick a unique name instead of answering 409.</summary>
    public bool FilenameOverride { get; init; }

    public string? Comment { get; init; }

    /// <summary>The uploaded file's own name (multipart <c>filename</c>), a fallback for <see cref="Name"/>.</summary>
    public string? FileName { get; init; }
}
