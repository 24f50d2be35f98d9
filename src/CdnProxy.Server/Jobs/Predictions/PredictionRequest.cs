using System.Text.Json;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Server.Jobs.SixPx;

namespace CdnProxy.Server.Jobs.Predictions;

/// <summary>
/// A prediction as stored with its job: the model, the input as sent, the pattern it was bound to, the CDN address
/// its links start with. Everything in it was validated before the job was stored. An image sent as a data URI is
/// stored when the prediction is created: <c>input.image</c> then names the stored file (<c>cloud://…</c>) and
/// <paramref name="DataUriShown"/> keeps how answers show what was sent (<c>data:image/png;base64,…</c>).
/// </summary>
public sealed record PredictionRequest(string Model, JsonObject Input, string Pattern, string? Webhook, string BaseUrl, string? DataUriShown = null)
{
    /// <summary>The image input of the job (its name is the field's).</summary>
    public JobInput Image(JobsOptions options) =>
        new(PredictionModels.ImageField, SixPxJobRequest.KindOf(PredictionModels.ImageField, (string)Input[PredictionModels.ImageField]!, options), (string)Input[PredictionModels.ImageField]!);

    /// <summary>
    /// Validates a body <c>{name, input, webhook}</c>: a known model, an image of an accepted kind (data URIs within
    /// <c>Jobs:MaxInputBytes</c>), the model's fields bound by the catalogue, and a webhook only with a secret configured.
    /// </summary>
    public static PredictionRequest Parse(JsonObject body, PredictionModels models, JobsOptions options, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (field, _) in body)
        {
            if (field is not ("name" or "input" or "webhook"))
            {
                throw CdnException.InvalidArgument($"unknown field '{(field.Length <= 64 ? field : field[..64])}'; a prediction is {{name, input, webhook}}");
            }
        }

        var name = body["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : throw CdnException.InvalidArgument("name (a model, e.g. enhance_magic) is required");
        var model = models.Find(name);
        var input = body["input"] as JsonObject ?? throw CdnException.InvalidArgument("input must be an object of the model's fields");
        var image = input[PredictionModels.ImageField] is JsonValue i && i.GetValueKind() == JsonValueKind.String
            ? i.GetValue<string>()
            : throw CdnException.InvalidArgument("input.image (an http(s) URL, a data URI or cloud://cloud/path) is required");
        _ = SixPxJobRequest.KindOf(PredictionModels.ImageField, image, options);

        // The field keeps the string made here: read from the parsed body, every read made another (a data URI's
        // megabytes at two bytes a character; three reads before it was stored).
        input[PredictionModels.ImageField] = image;
        var pattern = models.Pattern(model, input);
        if (pattern.AsSpan().IndexOfAny("/?#\\%") >= 0 || pattern.Any(char.IsWhiteSpace))
        {
            throw CdnException.InvalidArgument("input.pattern may not contain '/', '?', '#', '\\', '%' or spaces");
        }

        var webhook = body["webhook"] switch
        {
            null => null,
            JsonValue w when w.GetValueKind() == JsonValueKind.String => JobCallback.Parse(w.GetValue<string>(), "webhook", options),
            _ => throw CdnException.InvalidArgument("webhook must be a URL"),
        };
        return new PredictionRequest(model.Name, input, pattern, webhook, baseUrl);
    }

    public string Write() => new JsonObject
    {
        ["model"] = Model,
        ["input"] = Input.DeepClone(),
        ["pattern"] = Pattern,
        ["webhook"] = Webhook,
        ["base"] = BaseUrl,
        ["dataUri"] = DataUriShown,
    }.ToJsonString();

    public static PredictionRequest Read(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        return new PredictionRequest(
            (string)node["model"]!, node["input"]!.AsObject(), (string)node["pattern"]!, (string?)node["webhook"], (string)node["base"]!, (string?)node["dataUri"]);
    }

    /// <summary>How answers show an image: a data URI by its header only (they never repeat megabytes of base64).</summary>
    public static string Shown(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var comma = image.IndexOf(',', StringComparison.Ordinal);
        return image.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && comma > 0 ? image[..(comma + 1)] + "…" : image;
    }
}
