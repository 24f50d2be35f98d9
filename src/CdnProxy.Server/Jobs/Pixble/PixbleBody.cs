using System.Text.Json;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Server.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace CdnProxy.Server.Jobs.Pixble;

/// <summary>
/// Reads a <c>POST /job/new</c> body as Pixble's clients send it: JSON (their curl and JavaScript examples),
/// <c>application/x-www-form-urlencoded</c> (their Python example) or <c>multipart/form-data</c>, each capped at
/// the given number of bytes. Values become text: JSON numbers and booleans as written. In a multipart body
/// <c>data</c> may also be a file part (the image's bytes). The last of repeated fields counts.
/// </summary>
public static class PixbleBody
{
    private const int MaxFields = 32;

    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(HttpRequest request, long maxBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var type = request.ContentType ?? string.Empty;
        if (type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return await MultipartAsync(request, maxBody, cancellationToken).ConfigureAwait(false);
        }

        var json = request.HasJsonContentType();
        if (!json && type.Length > 0 && !type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            throw CdnException.InvalidArgument("The body must be JSON, application/x-www-form-urlencoded or multipart/form-data");
        }

        // curl -d sends JSON as a urlencoded form unless told otherwise: a body that opens with '{' is read as JSON.
        var body = await ReadCappedAsync(request.Body, maxBody, cancellationToken).ConfigureAwait(false);
        return json || body.GetBuffer().AsSpan(0, (int)body.Length).TrimStart(" \t\r\n"u8).StartsWith("{"u8)
            ? Json(body)
            : await UrlencodedAsync(body, maxBody, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, string>> UrlencodedAsync(MemoryStream body, long maxBody, CancellationToken cancellationToken)
    {
        body.Position = 0;
        using var reader = new FormReader(body) { ValueCountLimit = MaxFields, ValueLengthLimit = (int)Math.Min(int.MaxValue, maxBody) };
        Dictionary<string, StringValues> form;
        try
        {
            form = await reader.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new CdnException(CdnErrorKind.InvalidArgument, "The form has too many fields", e);
        }

        var fields = Once(form);
        if (fields.TryGetValue("data", out var data))
        {
            // base64's '+' arrives as a space when a client forgets to URL-encode it; base64 itself never has spaces.
            fields["data"] = data.Replace(' ', '+');
        }

        return fields;
    }

    private static async Task<Dictionary<string, string>> MultipartAsync(HttpRequest request, long maxBody, CancellationToken cancellationToken)
    {
        // The framework's defaults (4 MB per value) are below a base64 image the jobs accept.
        request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            ValueLengthLimit = (int)Math.Min(int.MaxValue, maxBody),
            MultipartBodyLengthLimit = maxBody,
            ValueCountLimit = MaxFields,
        }));
        var form = await FormBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);

        var fields = Once(form);
        if (form.Files.GetFile("data") is { } file)
        {
            if (form.Files.GetFiles("data").Count > 1 || fields.ContainsKey("data"))
            {
                throw CdnException.InvalidArgument("data is given twice");
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            fields["data"] = Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        return fields;
    }

    /// <summary>
    /// The form's fields, each given once: a field given twice (two keys, two images, two settings) is a 400, as a
    /// property named twice in the JSON body is. The last one was taken silently, so a form with a wrong key and then a
    /// valid one passed, where two different keys in the headers are refused.
    /// </summary>
    private static Dictionary<string, string> Once(IEnumerable<KeyValuePair<string, StringValues>> form) =>
        form.ToDictionary(
            f => f.Key,
            f => f.Value.Count > 1 ? throw CdnException.InvalidArgument($"{f.Key} is given twice") : f.Value.LastOrDefault() ?? string.Empty,
            StringComparer.Ordinal);

    private static Dictionary<string, string> Json(MemoryStream body)
    {
        JsonObject json;
        try
        {
            json = RequestJson.Parse(body.GetBuffer().AsSpan(0, (int)body.Length)) as JsonObject ?? throw CdnException.InvalidArgument("The body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new CdnException(CdnErrorKind.InvalidArgument, "The body must be JSON", e);
        }

        if (json.Count > MaxFields)
        {
            throw CdnException.InvalidArgument($"The body has more than {MaxFields} fields");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in json)
        {
            if (value is null)
            {
                continue; // a JSON null is the same as leaving the field out
            }

            fields[name] = value switch
            {
                JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String => scalar.GetValue<string>(),
                JsonValue scalar => scalar.ToJsonString(),
                _ => throw CdnException.InvalidArgument($"{name} must be a string, number or boolean"),
            };
        }

        return fields;
    }

    private static async Task<MemoryStream> ReadCappedAsync(Stream body, long maxBody, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBody)
            {
                throw new CdnException(CdnErrorKind.UploadTooLarge, "The body is larger than this server accepts");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer;
    }
}
