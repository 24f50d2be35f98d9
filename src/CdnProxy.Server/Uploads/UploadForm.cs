using System.Text;
using System.Text.Json;
using CdnProxy.Core.Assets;
using CdnProxy.Core.Origins;
using CdnProxy.Core;
using CdnProxy.Server.Http;
using CdnProxy.Urls.Client.Uploads;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CdnProxy.Server.Uploads;

/// <summary>
/// A <c>multipart/form-data</c> upload read as it streams: text fields are kept (each capped), and the one <c>file</c>
/// part is handed to a callback as it arrives, so its bytes go straight to staging and are never held in memory.
/// </summary>
public sealed class UploadForm
{
    private const int MaxFieldBytes = 64 * 1024;
    private const int MaxFields = 64;

    private readonly Dictionary<string, List<string>> _fields = new(StringComparer.OrdinalIgnoreCase);

    private UploadForm()
    {
    }

    /// <summary>The staged file, when the form had one and the callback staged it.</summary>
    public IStagedFile? File { get; private set; }

    /// <summary>True once a <c>file</c> part was read.</summary>
    public bool HasFile { get; private set; }

    /// <summary>The file part's own file name.</summary>
    public string? FileName { get; private set; }

    /// <summary>
    /// Reads the form. <paramref name="onFile"/> gets the fields read so far and the file's body when the
    /// <c>file</c> part starts; it must consume the body (stage it) or throw.
    /// </summary>
    public static async Task<UploadForm> ReadAsync(HttpRequest request, Func<UploadForm, Stream, Task<IStagedFile?>> onFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onFile);
        if (FormBody.MultipartBoundary(request.ContentType) is not { Length: > 0 and <= 200 } boundary)
        {
            throw new CdnException(CdnErrorKind.InvalidArgument, "The body must be multipart/form-data with a file part named 'file'");
        }

        var form = new UploadForm();
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        try
        {
            while (await RequestBodyStream.ReadingAsync(() => reader.ReadNextSectionAsync(cancellationToken)).ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
                if (name.Equals("file", StringComparison.OrdinalIgnoreCase))
                {
                    if (form.HasFile)
                    {
                        throw CdnException.InvalidArgument("Send one file per upload");
                    }

                    form.HasFile = true;
                    form.FileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    // Read failures of the body itself become InvalidDataException (400); staging's own I/O errors stay.
                    form.File = await onFile(form, new RequestBodyStream(section.Body)).ConfigureAwait(false);
                }
                else
                {
                    await form.AddFieldAsync(name, new RequestBodyStream(section.Body), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e)
        {
            // Whatever failed, a staged file that will not be committed is discarded.
            if (form.File is not null)
            {
                await form.File.DisposeAsync().ConfigureAwait(false);
            }

            if (e is InvalidDataException)
            {
                throw new CdnException(CdnErrorKind.InvalidArgument, "The multipart body is malformed or incomplete", e);
            }

            throw;
        }

        return form;
    }

    /// <summary>The last value of a field, or null.</summary>
    public string? Field(string name) => _fields.TryGetValue(name, out var values) ? values[^1] : null;

    /// <summary>The upload fields (Pixelbin's: name, path, format, access, tags, metadata, overwrite, filenameOverride; cloud, zone; comment).</summary>
    public UploadRequest ToRequest() => new()
    {
        Cloud = Field("cloud"),
        Zone = Field("zone"),
        Name = Field("name"),
        Path = Field("path"),
        Format = Field("format"),
        Access = ParseAccess(Field("access")),
        Tags = ParseTags([.. _fields.GetValueOrDefault("tags") ?? [], .. _fields.GetValueOrDefault("tags[]") ?? []]),
        Metadata = ParseMetadata(Field("metadata")),
        Overwrite = ParseBool(Field("overwrite"), "overwrite"),
        FilenameOverride = ParseBool(Field("filenameOverride"), "filenameOverride"),
        Comment = Field("comment"),
        FileName = FileName,
    };

    /// <summary>access: <c>public-read</c> (default) or <c>private</c>.</summary>
    public static AssetAccess ParseAccess(string? value) =>
        string.IsNullOrEmpty(value) ? AssetAccess.PublicRead
        : AssetAccessNames.Parse(value) ?? throw CdnException.InvalidArgument("access must be public-read or private");

    /// <summary>Tags from repeated fields, JSON arrays or comma-separated lists; trimmed, empty ones dropped, duplicates once.</summary>
    public static IReadOnlyList<string> ParseTags(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var tags = new List<string>();
        foreach (var value in values)
        {
            IEnumerable<string> items;
            if (value.TrimStart().StartsWith(UploadFieldRules.TagArrayStart))
            {
                try
                {
                    items = JsonSerializer.Deserialize(value, UploadJsonContext.Default.JsonElement).EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList();
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException)
                {
                    throw CdnException.InvalidArgument("tags must be strings: a JSON array, a comma-separated list or repeated fields");
                }
            }
            else
            {
                items = value.Split(UploadFieldRules.TagSeparator);
            }

            tags.AddRange(items.Select(t => t.Trim()).Where(t => t.Length > 0));
        }

        var distinct = tags.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count > UploadFieldRules.MaxTags || distinct.Any(t => UploadFieldRules.StoredTagRefusal(t) is not null)
            ? throw CdnException.InvalidArgument($"At most {UploadFieldRules.MaxTags} tags of at most {UploadFieldRules.MaxTagLength} printable characters")
            : distinct;
    }

    /// <summary>metadata: a JSON object (default <c>{}</c>).</summary>
    public static JsonElement ParseMetadata(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return AssetRecordJson.EmptyObject;
        }

        try
        {
            var element = JsonSerializer.Deserialize(value, UploadJsonContext.Default.JsonElement);
            return element.ValueKind == JsonValueKind.Object ? element : throw new JsonException();
        }
        catch (JsonException)
        {
            throw CdnException.InvalidArgument("metadata must be a JSON object");
        }
    }

    /// <summary>metadata already read as JSON (a signed-URL request's body): a JSON object, or none for <c>{}</c>.</summary>
    public static JsonElement MetadataObject(JsonElement? value) => value switch
    {
        null or { ValueKind: JsonValueKind.Null } => AssetRecordJson.EmptyObject,
        { ValueKind: JsonValueKind.Object } metadata => metadata,
        _ => throw CdnException.InvalidArgument("metadata must be a JSON object"),
    };

    private static bool ParseBool(string? value, string name) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "false" or "0" => false,
        "true" or "1" => true,
        _ => throw CdnException.InvalidArgument(name + " must be true or false"),
    };

    private async Task AddFieldAsync(string name, Stream body, CancellationToken cancellationToken)
    {
        if (_fields.Values.Sum(v => v.Count) >= MaxFields)
        {
            throw CdnException.InvalidArgument("Too many form fields");
        }

        var buffer = new byte[MaxFieldBytes + 1];
        var length = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (length > MaxFieldBytes)
        {
            throw CdnException.InvalidArgument($"Form field '{name}' is longer than {MaxFieldBytes} bytes");
        }

        if (!_fields.TryGetValue(name, out var values))
        {
            _fields[name] = values = [];
        }

        values.Add(Encoding.UTF8.GetString(buffer, 0, length));
    }
}
