using System.Text.Json;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using Microsoft.AspNetCore.Http.Features;

namespace CdnProxy.Server.Jobs.Pixble;

/// <summary>
/// Reads a <c>POST /job/new</c> body as Pixble's clients send it: JSON (their curl and JavaScript examples),
/// <c>application/x-www-form-urlencoded</c> (their Python example) or <c>multipart/form-data</c>, each capped at
/// the given number of bytes. Values become text: JSON numbers and booleans as written. In a multipart body
/// <c>data</c> may also be a file part (the image's bytes).
/// </summary>
public static class PixbleBody
{
    private const int MaxFields = 32;

    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(HttpRequest request, long maxBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.HasJsonContentType())
        {
            return Json(await ReadCappedAsync(request.Body, maxBody, cancellationToken).ConfigureAwait(false));
        }

        if (!request.HasFormContentType)
        {
            throw CdnException.InvalidArgument("The body must be JSON, application/x-www-form-urlencoded or multipart/form-data");
        }

        // The framework's defaults (4 MB per value) are below a base64 image the jobs accept.
        request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            ValueLengthLimit = (int)Math.Min(int.MaxValue, maxBody),
            MultipartBodyLengthLimit = maxBody,
            ValueCountLimit = MaxFields,
        }));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new CdnException(CdnErrorKind.UploadTooLarge, "The body is larger than this server accepts", e);
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in form)
        {
            fields[name] = values.LastOrDefault() ?? string.Empty;
        }

        if (fields.TryGetValue("data", out var data) && !request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            // base64's '+' arrives as a space when a client forgets to URL-encode it; base64 itself never has spaces.
            fields["data"] = data.Replace(' ', '+');
        }

        if (form.Files.GetFile("data") is { } file)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            fields["data"] = Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        return fields;
    }

    private static Dictionary<string, string> Json(MemoryStream body)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(body.GetBuffer().AsSpan(0, (int)body.Length)) as JsonObject ?? throw CdnException.InvalidArgument("The body must be a JSON object");
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
