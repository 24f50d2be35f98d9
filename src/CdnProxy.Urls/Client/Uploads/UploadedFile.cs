using System.Text.Json.Nodes;

namespace CdnProxy.Urls.Client.Uploads;

/// <summary>The server's answer for a stored file (Pixelbin's upload result), with its most used fields typed.</summary>
/// <param name="Json">The whole answer: <c>_id</c>, <c>fileId</c>, <c>url</c>, <c>context.meta</c>...</param>
public sealed record UploadedFile(JsonObject Json)
{
    /// <summary>The path inside the cloud, as in its CDN URL.</summary>
    public string FileId => (string?)Json["fileId"] ?? string.Empty;

    /// <summary>The CDN URL of the original.</summary>
    public string Url => (string?)Json["url"] ?? string.Empty;

    /// <summary>Size in bytes.</summary>
    public long Size => (long?)Json["size"] ?? 0;

    /// <summary><c>public-read</c> or <c>private</c>.</summary>
    public string Access => (string?)Json["access"] ?? string.Empty;
}
