using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdnProxy.Core.Jobs;
using CdnProxy.Server.Endpoints;
using CdnProxy.Server.Jobs.SixPx;

namespace CdnProxy.Server.Jobs.Predictions;

/// <summary>
/// Pixelbin's predictions at <c>/api/v1/predictions</c>: create (<c>{name, input, webhook}</c>, with
/// <c>Idempotency-Key</c>) and get with an API key (a key sees only its own predictions); the model list and each
/// model's schema are public, as the seed's are, and fixed (cacheable) bodies.
/// </summary>
public static class PredictionEndpoints
{
    private const long JsonOverheadBytes = 1024 * 1024;
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapPredictions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/predictions", CreateAsync);
        endpoints.MapPost("/api/v1/predictions/{plugin}/{operation}", CreateSeedFormAsync);
        endpoints.MapMethods("/api/v1/predictions", Methods, (HttpContext context, PredictionModels models) => models.List.WriteAsync(context));
        endpoints.MapMethods("/api/v1/predictions/{name}/schema", Methods, SchemaAsync);
        endpoints.MapMethods("/api/v1/predictions/schema/{name}", Methods, SchemaAsync);
        endpoints.MapGet("/api/v1/predictions/{id}", GetAsync);
        return endpoints;
    }

    private static Task SchemaAsync(HttpContext context, string name, PredictionModels models) =>
        UploadApiCall.RunAsync(context, 0, needsKey: false, () => models.SchemaBody(name).WriteAsync(context));

    private static Task CreateAsync(HttpContext context, JobsOptions options, PredictionService predictions) =>
        SixPxEndpoints.RunReadingBodyAsync(context, options.MaxInputBytes * 4 / 3 + JsonOverheadBytes, async owner =>
        {
            var (body, bytes) = await SixPxEndpoints.ReadJsonAsync(context);
            await AnswerAsync(context, predictions, owner, body, bytes);
        });

    /// <summary>
    /// The seed SDKs' wire form: the model in the path, the fields as <c>input.{field}</c> (multipart form fields and
    /// files, a file becoming the image's bytes; or flat JSON keys) and <c>webhook</c>.
    /// </summary>
    private static Task CreateSeedFormAsync(HttpContext context, string plugin, string operation, JobsOptions options, PredictionService predictions) =>
        SixPxEndpoints.RunReadingBodyAsync(context, options.MaxInputBytes * 4 / 3 + JsonOverheadBytes, async owner =>
        {
            var body = await SeedForm.ReadAsync(context, plugin + "_" + operation, options.MaxInputBytes);
            await AnswerAsync(context, predictions, owner, body, Utf8(body));
        });

    /// <summary>The body's JSON as UTF-8 (as <see cref="JsonNode.ToJsonString"/> writes it), without the UTF-16 string between.</summary>
    private static ReadOnlyMemory<byte> Utf8(JsonObject body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body.WriteTo(writer);
        }

        return buffer.WrittenMemory;
    }

    private static async Task AnswerAsync(HttpContext context, PredictionService predictions, string owner, JsonObject body, ReadOnlyMemory<byte> bytes) =>
        await SixPxEndpoints.WriteAsync(
            context,
            await predictions.CreateAsync(owner, Api.ApiKeyScope.Of(context), body, bytes, context.Request.Headers["Idempotency-Key"].LastOrDefault(), UploadApiCall.BaseUrl(context), context.RequestAborted));

    private static Task GetAsync(HttpContext context, string id, PredictionService predictions) =>
        SixPxEndpoints.RunAsync(context, 0, async owner => await SixPxEndpoints.WriteAsync(context, await predictions.GetAsync(owner, id, context.RequestAborted)));
}

/// <summary>Composition of the predictions face.</summary>
public static class PredictionServices
{
    public static IServiceCollection AddPredictions(this IServiceCollection services)
    {
        services.AddSingleton<PredictionModels>();
        services.AddSingleton<PredictionService>();
        services.AddSingleton<IJobHandler, PredictionJobHandler>();
        services.AddSingleton<PredictionJobView>();
        services.AddSingleton<IJobView>(sp => sp.GetRequiredService<PredictionJobView>());
        return services;
    }
}
