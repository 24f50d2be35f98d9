using System.Text;
using System.Text.Json.Nodes;

namespace CdnProxy.Urls.Client.Predictions;

/// <summary>
/// Runs models of a CdnProxy server the way the Pixelbin SDK's <c>predictions</c> does: <see cref="CreateAsync"/> a
/// prediction (<c>POST /api/v1/predictions</c> with <c>{name, input, webhook}</c>), <see cref="GetAsync"/> it,
/// <see cref="WaitAsync"/> until it is <c>SUCCESS</c> or <c>FAILURE</c> (bounded polling), or
/// <see cref="CreateAndWaitAsync"/>; <see cref="ListModelsAsync"/> and <see cref="GetSchemaAsync"/> describe the models.
/// </summary>
public sealed class Predictions
{
    /// <summary>No single wait between polls is longer than this, whatever the back-off factor.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(60);

    private readonly ApiConnection _api;

    /// <summary>Creates a client for <paramref name="server"/> (e.g. <c>https://img.example.com</c>).</summary>
    /// <param name="http">The client to send with (its handler decides proxies, TLS...).</param>
    /// <param name="server">The CdnProxy server's base URL.</param>
    /// <param name="apiKey">An API key of the server (<c>CdnProxy:Api:Keys</c>, or <c>CdnProxy:Api:CloudKeys</c> for the clouds it lists).</param>
    /// <param name="time">The clock of the polling waits; the system clock when null.</param>
    public Predictions(HttpClient http, Uri server, string apiKey, TimeProvider? time = null)
    {
        _api = new ApiConnection(http, server, apiKey, time);
    }

    /// <summary>A data URI of an image's bytes, for <c>input.image</c>.</summary>
    /// <param name="image">The image file's bytes.</param>
    /// <param name="contentType">Its type, e.g. <c>image/jpeg</c> (the server sniffs the bytes anyway).</param>
    /// <returns><c>data:{contentType};base64,…</c>.</returns>
    public static string DataUri(ReadOnlySpan<byte> image, string contentType = "application/octet-stream") =>
        $"data:{contentType};base64,{Convert.ToBase64String(image)}";

    /// <summary>Starts a prediction; it runs on the server's workers.</summary>
    /// <param name="name">The model, <c>plugin_operation</c> (e.g. <c>enhance_magic</c>).</param>
    /// <param name="input">The model's fields: <c>image</c> (an http(s) URL, a <see cref="DataUri"/> or <c>cloud://cloud/path</c>) and the others its schema lists.</param>
    /// <param name="webhook">Told (a signed POST of the prediction) when it is done.</param>
    /// <param name="idempotencyKey">A retried call with the same key and input answers the first prediction instead of starting another.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The accepted prediction (<c>ACCEPTED</c>).</returns>
    public async Task<Prediction> CreateAsync(string name, JsonObject input, Uri? webhook = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var parts = name?.Split('_') ?? [];
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new ArgumentException("name must be 'plugin_operation', e.g. 'enhance_magic'", nameof(name));
        }

        var body = new JsonObject { ["name"] = name, ["input"] = input.DeepClone(), ["webhook"] = webhook?.AbsoluteUri };
        using var request = _api.Request(HttpMethod.Post, "api/v1/predictions");
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return new Prediction(await SendAsync<JsonObject>(request, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The prediction as it is now.</summary>
    /// <param name="id">Its <c>_id</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The prediction.</returns>
    public async Task<Prediction> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        using var request = _api.Request(HttpMethod.Get, "api/v1/predictions/" + Uri.EscapeDataString(id));
        return new Prediction(await SendAsync<JsonObject>(request, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Polls until the prediction is <c>SUCCESS</c> or <c>FAILURE</c>, at most <see cref="PredictionWaitOptions.MaxAttempts"/>
    /// times; then returns it as last seen (still <c>ACCEPTED</c> or <c>PROCESSING</c>: check <see cref="Prediction.IsDone"/>),
    /// as the seed SDK does. A poll that fails transiently (a network error, 408, 429, 5xx) uses up an attempt and
    /// polling goes on; any other failure (401, 404…) is thrown at once, as is the last attempt's.
    /// </summary>
    /// <param name="id">The prediction's <c>_id</c>.</param>
    /// <param name="options">Interval, back-off factor and attempts; the seed SDK's defaults when null.</param>
    /// <param name="cancellationToken">Stops waiting (the prediction goes on running on the server).</param>
    /// <returns>The prediction when done, or as last seen.</returns>
    public async Task<Prediction> WaitAsync(string id, PredictionWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        options ??= new PredictionWaitOptions();
        var attempts = options.ClampedAttempts;
        var wait = options.ClampedInterval;
        Prediction? last = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                last = await GetAsync(id, cancellationToken).ConfigureAwait(false);
                if (last.IsDone)
                {
                    return last;
                }
            }
            catch (Exception e) when (attempt < attempts && ApiConnection.IsTransient(e, (e as PredictionException)?.Status, cancellationToken))
            {
                // Counted as an attempt; the next poll may find the server back.
            }

            if (attempt >= attempts)
            {
                return last!;
            }

            await Task.Delay(wait, _api.Time, cancellationToken).ConfigureAwait(false);
            wait = TimeSpan.FromTicks((long)Math.Min(LongestWait.Ticks, wait.Ticks * options.ClampedFactor));
        }
    }

    /// <summary><see cref="CreateAsync"/>, then <see cref="WaitAsync"/>.</summary>
    /// <param name="name">The model, e.g. <c>enhance_magic</c>.</param>
    /// <param name="input">The model's fields.</param>
    /// <param name="webhook">Told when it is done.</param>
    /// <param name="options">How to poll.</param>
    /// <param name="cancellationToken">Cancels the calls and the wait.</param>
    /// <returns>The prediction when done, or as last seen.</returns>
    public async Task<Prediction> CreateAndWaitAsync(
        string name, JsonObject input, Uri? webhook = null, PredictionWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        var created = await CreateAsync(name, input, webhook, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await WaitAsync(created.Id, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The models the server runs (the seed SDK's <c>list</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Their names and descriptions.</returns>
    public async Task<IReadOnlyList<PredictionModel>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        using var request = _api.Request(HttpMethod.Get, "api/v1/predictions");
        var list = await SendAsync<JsonArray>(request, cancellationToken).ConfigureAwait(false);
        return [.. list.OfType<JsonObject>().Select(m => new PredictionModel((string?)m["name"] ?? string.Empty, (string?)m["displayName"] ?? string.Empty, (string?)m["description"] ?? string.Empty))];
    }

    /// <summary>A model's input schema (the seed SDK's <c>getSchema</c>): <c>input</c> maps each field to its JSON schema.</summary>
    /// <param name="name">The model, e.g. <c>enhance_magic</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schema document.</returns>
    public async Task<JsonObject> GetSchemaAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var request = _api.Request(HttpMethod.Get, $"api/v1/predictions/{Uri.EscapeDataString(name)}/schema");
        return await SendAsync<JsonObject>(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
        where T : JsonNode
    {
        using var response = await _api.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new PredictionException((int)response.StatusCode, ApiConnection.ErrorBody(body));
        }

        try
        {
            return JsonNode.Parse(body) as T ?? throw new PredictionException($"The server's answer is not a JSON {(typeof(T) == typeof(JsonArray) ? "array" : "object")}.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new PredictionException("The server's answer is not JSON.", e);
        }
    }
}
