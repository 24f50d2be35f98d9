using CdnProxy.Core;
using CdnProxy.Core.Jobs;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Endpoints;
using CdnProxy.Server.Jobs.SixPx;
using CdnProxy.Server.Uploads;

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
        endpoints.MapMethods("/api/v1/predictions", Methods, (HttpContext context, PredictionModels models) => models.List.WriteAsync(context));
        endpoints.MapMethods("/api/v1/predictions/{name}/schema", Methods, SchemaAsync);
        endpoints.MapMethods("/api/v1/predictions/schema/{name}", Methods, SchemaAsync);
        endpoints.MapGet("/api/v1/predictions/{id}", GetAsync);
        return endpoints;
    }

    private static Task SchemaAsync(HttpContext context, string name, PredictionModels models) =>
        UploadApiCall.RunAsync(context, 0, needsKey: false, () => models.SchemaBody(name).WriteAsync(context));

    private static Task CreateAsync(
        HttpContext context, JobsOptions options, PredictionModels models, JobSubmission submission, IJobStore store, PredictionJobView view, RequestResolver resolver, UploadService uploads) =>
        SixPxEndpoints.RunAsync(context, options.MaxInputBytes * 4 / 3 + JsonOverheadBytes, async owner =>
        {
            var (body, bytes) = await SixPxEndpoints.ReadJsonAsync(context);
            var request = PredictionRequest.Parse(body, models, options, UploadApiCall.BaseUrl(context));
            Validate(request, options, resolver, uploads);
            var id = await submission.SubmitAsync(
                new NewJob(PredictionJobHandler.JobKind, owner, request.Write(), request.Webhook),
                context.Request.Headers["Idempotency-Key"].LastOrDefault(),
                bytes,
                context.RequestAborted);
            var job = await store.GetAsync(id, context.RequestAborted) ?? throw new CdnException(CdnErrorKind.JobNotFound, "No such prediction");
            await SixPxEndpoints.WriteAsync(context, view.ToJson(job, accepted: true));
        });

    /// <summary>
    /// What is knowable before the job is stored: the pattern bound against the image's cloud and file as a URL of
    /// it would be (operations, presets, signatures, the cloud's rules), and the jobs cloud writable.
    /// </summary>
    private static void Validate(PredictionRequest request, JobsOptions options, RequestResolver resolver, UploadService uploads)
    {
        _ = uploads.Target(options.Cloud, null);
        _ = resolver.Resolve(new ImageRequest(JobInputs.CheckPath(request.Image(options), request.Pattern, options)));
    }

    private static Task GetAsync(HttpContext context, string id, IJobStore store, PredictionJobView view) =>
        SixPxEndpoints.RunAsync(context, 0, async owner =>
        {
            var jobId = PredictionJobView.JobId(id);
            var job = jobId is { Length: <= 64 } ? await store.GetAsync(jobId, context.RequestAborted) : null;
            if (job is null || job.Owner != owner || job.Kind != PredictionJobHandler.JobKind
                || PredictionJobView.PublicId(PredictionRequest.Read(job.Request).Model, job.Id) != id)
            {
                throw new CdnException(CdnErrorKind.JobNotFound, "No such prediction");
            }

            await SixPxEndpoints.WriteAsync(context, view.ToJson(job));
        });
}

/// <summary>Composition of the predictions face.</summary>
public static class PredictionServices
{
    public static IServiceCollection AddPredictions(this IServiceCollection services)
    {
        services.AddSingleton<PredictionModels>();
        services.AddSingleton<IJobHandler, PredictionJobHandler>();
        services.AddSingleton<PredictionJobView>();
        services.AddSingleton<IJobView>(sp => sp.GetRequiredService<PredictionJobView>());
        return services;
    }
}
