using System.Text.Json;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Server.Http;
using CdnProxy.Server.Jobs.SixPx;

namespace CdnProxy.Server.Jobs.Predictions;

/// <summary>
/// Reads a prediction sent the way Pixelbin's SDKs send it (<c>POST …/predictions/{plugin}/{operation}</c>): a
/// multipart form, or JSON, with fields <c>input.{field}</c> and <c>webhook</c>. A file field becomes a base64 data URI
/// (the same bounds and checks as one sent as such). The result is the JSON form <c>{name, input, webhook}</c>.
/// </summary>
public static class SeedForm
{
    private const string InputPrefix = "input.";

    public static async Task<JsonObject> ReadAsync(HttpContext context, string name, long maxInputBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = new JsonObject();
        JsonNode? webhook = null;
        if (context.Request.HasFormContentType)
        {
            var form = await FormBody.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            foreach (var (key, value) in form)
            {
                Put(input, ref webhook, key, JsonValue.Create(value.LastOrDefault() ?? string.Empty));
            }

            foreach (var file in form.Files)
            {
                if (file.Length > maxInputBytes)
                {
                    throw new CdnException(CdnErrorKind.SourceTooLarge, $"{file.Name} is larger than {maxInputBytes} bytes");
                }

                using var bytes = new MemoryStream();
                await file.CopyToAsync(bytes, context.RequestAborted).ConfigureAwait(false);
                var type = string.IsNullOrEmpty(file.ContentType) ? "application/octet-stream" : file.ContentType;
                Put(input, ref webhook, file.Name, JsonValue.Create($"data:{type};base64,{Convert.ToBase64String(bytes.GetBuffer(), 0, (int)bytes.Length)}"));
            }
        }
        else
        {
            var (body, _) = await SixPxEndpoints.ReadJsonAsync(context).ConfigureAwait(false);
            foreach (var (key, value) in body)
            {
                if (key == "input" && value is JsonObject nested)
                {
                    foreach (var (field, fieldValue) in nested)
                    {
                        input[field] = fieldValue?.DeepClone();
                    }
                }
                else
                {
                    Put(input, ref webhook, key, value?.DeepClone());
                }
            }
        }

        return new JsonObject { ["name"] = name, ["input"] = input, ["webhook"] = webhook };
    }

    private static void Put(JsonObject input, ref JsonNode? webhook, string key, JsonNode? value)
    {
        if (key == "webhook")
        {
            webhook = value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0 ? null : value;
        }
        else if (key.StartsWith(InputPrefix, StringComparison.Ordinal) && key.Length > InputPrefix.Length)
        {
            input[key[InputPrefix.Length..]] = value;
        }
        else
        {
            throw CdnException.InvalidArgument($"unknown field '{(key.Length <= 64 ? key : key[..64])}'; the fields are input.{{field}} and webhook");
        }
    }
}
