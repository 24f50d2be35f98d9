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

                var bytes = await FormBody.ReadFileAsync(file, context.RequestAborted).ConfigureAwait(false);
                var type = string.IsNullOrEmpty(file.ContentType) ? "application/octet-stream" : file.ContentType;
                Put(input, ref webhook, file.Name, JsonValue.Create(DataUri(type, bytes)));
            }
        }
        else
        {
            // The values move out of the body (a clone of a data URI copied its megabytes).
            var (body, _) = await SixPxEndpoints.ReadJsonAsync(context).ConfigureAwait(false);
            foreach (var (key, value) in Detached(body))
            {
                if (key == "input" && value is JsonObject nested)
                {
                    foreach (var (field, fieldValue) in Detached(nested))
                    {
                        input[field] = fieldValue;
                    }
                }
                else
                {
                    Put(input, ref webhook, key, value);
                }
            }
        }

        return new JsonObject { ["name"] = name, ["input"] = input, ["webhook"] = webhook };
    }

    /// <summary>The object's properties, taken out of it so they can join another.</summary>
    private static List<KeyValuePair<string, JsonNode?>> Detached(JsonObject json)
    {
        var properties = json.ToList();
        json.Clear();
        return properties;
    }

    /// <summary>
    /// <c>data:{type};base64,…</c> written once: the base64 made as a string, then copied into the URI, held the image
    /// twice over at two bytes a character.
    /// </summary>
    private static string DataUri(string type, byte[] bytes)
    {
        var prefix = $"data:{type};base64,";
        return string.Create(prefix.Length + (int)((bytes.Length + 2L) / 3 * 4), (prefix, bytes), static (text, state) =>
        {
            state.prefix.CopyTo(text);
            _ = Convert.TryToBase64Chars(state.bytes, text[state.prefix.Length..], out _);
        });
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
