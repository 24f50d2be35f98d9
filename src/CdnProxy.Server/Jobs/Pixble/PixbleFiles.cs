using System.Text.Json.Nodes;
using CdnProxy.Core.Assets;

namespace CdnProxy.Server.Jobs.Pixble;

/// <summary>
/// The two files of a Pixble job, the input (Pixble's source <c>USER_API_UPLOAD</c>) and the output (<c>OUTPUT</c>),
/// both kept in the jobs cloud. Their ids are <c>fi_{job}_input</c> and <c>fi_{job}_output</c>: <c>/media/get</c>
/// finds the job, checks its owner, then reads the file the job's result names.
/// </summary>
public static class PixbleFiles
{
    public const string Input = "input";
    public const string Output = "output";

    /// <summary>The longest side of a preview (smaller files are previewed at their own size).</summary>
    public const int PreviewSide = 512;

    private const string FilePrefix = "fi_";
    private const string JobPrefix = "jb_";

    /// <summary>The job id clients see (Pixble's are prefixed <c>jb_</c>).</summary>
    public static string JobId(string id) => JobPrefix + id;

    public static string FileId(string jobId, string which) => $"{FilePrefix}{jobId}_{which}";

    /// <summary>The store's id in a client's job id (with or without <c>jb_</c>); null when it cannot be one.</summary>
    public static string? ParseJobId(string text)
    {
        var id = text.StartsWith(JobPrefix, StringComparison.Ordinal) ? text[JobPrefix.Length..] : text;
        return id.Length is > 0 and <= 64 && id.All(char.IsAsciiLetterOrDigit) ? id : null;
    }

    /// <summary>
    /// The job and file a <c>/media/get</c> id names: a file id, or (as Pixble allows) a job id, which means its
    /// output. Null when it is neither.
    /// </summary>
    public static (string JobId, string Which)? ParseFileId(string text)
    {
        if (!text.StartsWith(FilePrefix, StringComparison.Ordinal))
        {
            return ParseJobId(text) is { } job ? (job, Output) : null;
        }

        var underscore = text.LastIndexOf('_');
        var which = text[(underscore + 1)..];
        return underscore > FilePrefix.Length && which is Input or Output && ParseJobId(text[FilePrefix.Length..underscore]) is { } id ? (id, which) : null;
    }

    /// <summary>The pattern of a file's preview: fitted inside <see cref="PreviewSide"/>, never enlarged.</summary>
    public static string PreviewPattern(int width, int height) =>
        Math.Max(width, height) > PreviewSide ? $"t.resize(w:{PreviewSide},h:{PreviewSide},f:inside)" : "original";

    /// <summary>
    /// A file as Pixble lists it in <c>files</c>; <c>url</c> is its CDN address, <c>link</c> the keyed download,
    /// <c>preview</c> a keyed smaller rendering.
    /// </summary>
    public static JsonObject ToPixble(string jobId, string which, PixbleStoredFile file, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(file);
        var fileId = FileId(jobId, which);
        return new JsonObject
        {
            ["file_id"] = fileId,
            ["job_id"] = JobId(jobId),
            ["source"] = which == Input ? "USER_API_UPLOAD" : "OUTPUT",
            ["url"] = $"{baseUrl}/v2/{file.Cloud}/original/{file.Path}",
            ["content_type"] = file.ContentType,
            ["size"] = file.Size,
            ["dim"] = $"{file.Width}x{file.Height}",
            ["link"] = $"{baseUrl}/media/get/{fileId}",
            ["preview"] = $"{baseUrl}/media/preview/{fileId}",
        };
    }
}

/// <summary>A stored file of a Pixble job: where it is in which cloud, and what its header says.</summary>
public sealed record PixbleStoredFile(string Cloud, string Path, string ContentType, long Size, int Width, int Height)
{
    public static PixbleStoredFile Of(RenderSource file, byte[] bytes, ImageMeta meta)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(meta);
        return new PixbleStoredFile(file.Cloud, file.FilePath, meta.ContentType, bytes.Length, meta.Width, meta.Height);
    }

    public JsonObject ToJson() => new()
    {
        ["cloud"] = Cloud,
        ["path"] = Path,
        ["content_type"] = ContentType,
        ["size"] = Size,
        ["width"] = Width,
        ["height"] = Height,
    };

    public static PixbleStoredFile? FromJson(JsonNode? node) => node is JsonObject json
        ? new PixbleStoredFile((string)json["cloud"]!, (string)json["path"]!, (string)json["content_type"]!, (long)json["size"]!, (int)json["width"]!, (int)json["height"]!)
        : null;
}
