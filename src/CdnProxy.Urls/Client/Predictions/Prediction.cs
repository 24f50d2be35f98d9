using System.Globalization;
using System.Text.Json.Nodes;

namespace CdnProxy.Urls.Client.Predictions;

/// <summary>A prediction as the server shows it (Pixelbin's job shape), with its fields typed.</summary>
/// <param name="Json">The whole answer: <c>_id</c>, <c>name</c>, <c>status</c>, <c>input</c>, <c>urls.get</c>, <c>createdAt</c>, <c>retention</c>, <c>output</c>, <c>error</c>.</param>
public sealed record Prediction(JsonObject Json)
{
    /// <summary>Waiting for a worker.</summary>
    public const string Accepted = "ACCEPTED";

    /// <summary>A worker is running it.</summary>
    public const string Processing = "PROCESSING";

    /// <summary>Done: <see cref="Output"/> lists the results.</summary>
    public const string Success = "SUCCESS";

    /// <summary>Failed: <see cref="Error"/> says why.</summary>
    public const string Failure = "FAILURE";

    /// <summary>The prediction's id (<c>_id</c>), e.g. <c>enhance--magic--0193…</c>.</summary>
    public string Id => (string?)Json["_id"] ?? string.Empty;

    /// <summary>The model, e.g. <c>enhance_magic</c>.</summary>
    public string Name => (string?)Json["name"] ?? string.Empty;

    /// <summary><see cref="Accepted"/>, <see cref="Processing"/>, <see cref="Success"/> or <see cref="Failure"/>.</summary>
    public string Status => (string?)Json["status"] ?? string.Empty;

    /// <summary>True once the prediction succeeded or failed (it will not change any more).</summary>
    public bool IsDone => Status is Success or Failure;

    /// <summary>The result URLs (served by the CDN); empty until it succeeded, and for models whose output is JSON.</summary>
    public IReadOnlyList<Uri> Output => Json["output"] is JsonArray output ? [.. output.Select(u => new Uri((string)u!))] : [];

    /// <summary>The output as sent: the URL array of the image models, the JSON description of <c>image_info</c>; null until it succeeded.</summary>
    public JsonNode? OutputJson => Json["output"];

    /// <summary>Why it failed (a short public message), or null.</summary>
    public string? Error => (string?)Json["error"];

    /// <summary>The input as the server keeps it (a data URI is shown by its header, a stored image by its URL).</summary>
    public JsonObject Input => Json["input"] as JsonObject ?? [];

    /// <summary>Where to poll it (<c>urls.get</c>).</summary>
    public Uri? GetUrl => Json["urls"]?["get"] is JsonValue url ? new Uri((string)url!) : null;

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt => DateTimeOffset.Parse((string?)Json["createdAt"] ?? "0001-01-01T00:00:00Z", CultureInfo.InvariantCulture);

    /// <summary>How long its results are kept (<c>unlimited</c> on CdnProxy).</summary>
    public string Retention => (string?)Json["retention"] ?? string.Empty;
}

/// <summary>A model the server runs (one entry of <c>GET /api/v1/predictions</c>).</summary>
/// <param name="Name">The name to create predictions with, e.g. <c>enhance_magic</c>.</param>
/// <param name="DisplayName">A human name.</param>
/// <param name="Description">What it does.</param>
public sealed record PredictionModel(string Name, string DisplayName, string Description);
