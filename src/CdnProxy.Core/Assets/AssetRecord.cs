using System.Text.Json;
using CdnProxy.Core.Origins;

namespace CdnProxy.Core.Assets;

/// <summary>
/// What CdnProxy knows about a stored file beyond its bytes, kept beside it in the origin as a sidecar object
/// (<see cref="AssetRecordJson"/>), so an S3-only deployment keeps it.
/// </summary>
public sealed record AssetRecord
{
    /// <summary>A stable id (Pixelbin's <c>_id</c>), new for each upload.</summary>
    public required string Id { get; init; }

    public AssetAccess Access { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The client's own JSON object.</summary>
    public JsonElement Metadata { get; init; } = AssetRecordJson.EmptyObject;

    /// <summary>The header facts read at upload.</summary>
    public ImageMeta? Meta { get; init; }

    /// <summary>The client's comment (PixLab's <c>comment</c>), if any.</summary>
    public string? Comment { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
