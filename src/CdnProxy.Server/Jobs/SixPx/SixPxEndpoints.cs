using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdnProxy.Server.Http;
using CdnProxy.Core;
using CdnProxy.Core.Jobs;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Endpoints;
using CdnProxy.Server.Uploads;
using Microsoft.AspNetCore.Http.Features;

namespace CdnProxy.Server.Jobs.SixPx;

/// <summary>
/// 6px's job API at <c>/api/v1/jobs</c>: create (with <c>Idempotency-Key</c>), get, list with paging, sorting and
/// search, and cancel (DELETE). Every call needs an API key and counts against <c>Jobs:RequestsPerMinute</c>; a key
/// sees only its own jobs.
/// </summary>
public static class SixPxEndpoints
{
    private const int MaxPerPage = 100;
    private const long JsonOverheadBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapSixPxJobs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/jobs", CreateAsync);
        endpoints.MapGet("/api/v1/jobs", ListAsync);
        endpoints.MapGet("/api/v1/jobs/{id}", GetAsync);
        endpoints.MapDelete("/api/v1/jobs/{id}", CancelAsync);
        return endpoints;
    }

    /// <summary>Runs a call with the API key, the jobs' rate limit, the body cap and JSON errors; passes the owner.</summary>
    internal static Task RunAsync(HttpContext context, long maxBody, Func<string, Task> call) =>
        UploadApiCall.RunAsync(
            context,
            maxBody,
            needsKey: true,
            () => call(UploadRateLimiter.Partition(Api.ApiKeyVerifier.PresentedKey(context.Request), context)),
            context.RequestServices.GetRequiredService<JobRateLimiter>().Limiter);

    /// <summary>
    /// <see cref="RunAsync"/> for a call that reads its body into memory: the body is held under the jobs'
    /// <see cref="RequestBodyBudget"/> (large bodies per key, bytes in all) until the call ends.
    /// </summary>
    internal static Task RunReadingBodyAsync(HttpContext context, long maxBody, Func<string, Task> call) =>
        RunAsync(context, maxBody, async owner =>
        {
            using var body = BudgetedRequestBody.Enter(context, owner, maxBody);
            await call(owner);
        });

    private static Task CreateAsync(HttpContext context, JobsOptions options, JobSubmission submission, JobInputs inputs, RequestResolver resolver, UploadService uploads, TimeProvider time) =>
        RunReadingBodyAsync(context, options.MaxInputBytes * 4 / 3 + JsonOverheadBytes, async owner =>
        {
            var (body, bytes) = await ReadJsonAsync(context);
            var request = SixPxJobRequest.Parse(body, options);
            request.EnsureKeptSize(bytes.Length);
            Validate(request, options, resolver, uploads, Api.ApiKeyScope.Of(context));

            // Data URIs are stored now, as Pixble's image is, and the row keeps where they are (cloud://…).
            var id = JobSubmission.NewId(time.GetUtcNow());
            var stored = await inputs.StoreDataUrisAsync(id, request.Inputs, body["input"]!.AsObject(), context.RequestAborted);
            var created = await submission.SubmitStoredAsync(
                stored,
                () => new NewJob(SixPxJobHandler.JobKind, owner, new SixPxStoredRequest(body, UploadApiCall.BaseUrl(context)).Write(), request.CallbackUrl, id),
                context.Request.Headers["Idempotency-Key"].LastOrDefault(),
                bytes,
                context.RequestAborted);
            await WriteAsync(context, new JsonObject { ["id"] = created, ["_id"] = created });
        });

    /// <summary>
    /// The request body as a JSON object (400 otherwise), with its bytes (an Idempotency-Key hashes them). The object
    /// is a document over the bytes, disposed with the response: parsed from a span, the body was copied whole first.
    /// </summary>
    internal static async Task<(JsonObject Body, ReadOnlyMemory<byte> Bytes)> ReadJsonAsync(HttpContext context)
    {
        var bytes = await ReadWholeAsync(context);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, RequestJson.DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new CdnException(CdnErrorKind.InvalidArgument, "The body must be JSON", e);
        }

        context.Response.RegisterForDispose(document);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? (JsonObject.Create(document.RootElement)!, bytes)
            : throw CdnException.InvalidArgument("The body must be a JSON object");
    }

    /// <summary>
    /// The body whole: in one array of its declared length (within the body cap), else in a growing buffer. Copied
    /// into a growing buffer and out of it, a 30 MB body was held in a 64 MB buffer and a 30 MB copy at once.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>> ReadWholeAsync(HttpContext context)
    {
        var request = context.Request;
        var cap = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (request.ContentLength is { } length && cap is { } max)
        {
            if (length > max)
            {
                throw new CdnException(CdnErrorKind.UploadTooLarge, "The body is larger than this server accepts");
            }

            var bytes = new byte[length];
            try
            {
                await request.Body.ReadExactlyAsync(bytes, context.RequestAborted);
            }
            catch (EndOfStreamException e)
            {
                throw new CdnException(CdnErrorKind.InvalidArgument, "The request body is malformed or incomplete", e);
            }

            return bytes;
        }

        var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>
    /// Everything knowable before the job is stored: the key serves every cloud the request names (its inputs are read
    /// as the API reads them, private files included, and its destinations written), each output's pattern bound
    /// against its input's cloud and file (operations, arguments, presets, signatures: the URL path's own checks) and
    /// the jobs cloud writable when used. The jobs cloud itself, where a job without a destination keeps its files
    /// under its id, is the server's, not named by the request.
    /// </summary>
    private static void Validate(SixPxJobRequest request, JobsOptions options, RequestResolver resolver, UploadService uploads, Api.ApiKeyScope scope)
    {
        foreach (var cloud in request.Inputs.Select(JobInputs.CloudOf).Concat(request.Outputs.Select(o => o.Destination is { Kind: JobDestinationKind.Cloud } d ? d.Container : null)))
        {
            if (cloud is not null)
            {
                scope.EnsureServes(cloud);
            }
        }

        var stagesInJobsCloud = request.Inputs.Any(i => i.Kind != JobInputKind.Cloud) || request.Outputs.Any(o => o.Destination is null);
        if (stagesInJobsCloud)
        {
            _ = uploads.JobsTarget(options.Cloud, null);
        }

        foreach (var output in request.Outputs)
        {
            // A destination is the caller's choice, so it gets the API's view: the jobs' own folder is not one.
            if (output.Destination is { Kind: JobDestinationKind.Cloud } cloud && uploads.Target(cloud.Container, null).Keeps(cloud.Folder))
            {
                throw CdnException.InvalidArgument($"destination: the folder '{JobsOptions.FilesFolder}' of cloud '{cloud.Container}' holds the jobs' own files");
            }

            foreach (var file in output.Files)
            {
                var input = request.Inputs.First(i => i.Name == file.Input);
                _ = resolver.Resolve(new ImageRequest(JobInputs.CheckPath(input, SixPxJobHandler.Pattern(output), options)));
            }
        }
    }

    private static Task GetAsync(HttpContext context, string id, IJobStore store, SixPxJobView view) =>
        RunAsync(context, 0, async owner => await WriteAsync(context, view.ToJson(await FindAsync(store, id, owner, context.RequestAborted))));

    private static Task CancelAsync(HttpContext context, string id, IJobStore store, SixPxJobView view, TimeProvider time) =>
        RunAsync(context, 0, async owner =>
        {
            _ = await FindAsync(store, id, owner, context.RequestAborted);
            await store.CancelAsync(id, "cancelled", time.GetUtcNow(), context.RequestAborted);
            await WriteAsync(context, view.ToJson(await FindAsync(store, id, owner, context.RequestAborted)));
        });

    private static Task ListAsync(HttpContext context, IJobStore store, SixPxJobView view) =>
        RunAsync(context, 0, async owner =>
        {
            var query = context.Request.Query;
            var page = Number(query["page"].LastOrDefault(), "page", 1, 1, int.MaxValue);
            var perPage = Number(query["per_page"].LastOrDefault(), "per_page", 10, 1, MaxPerPage);
            var (sortField, descending) = Sort(query["sort_by"].LastOrDefault());
            var conditions = query
                .Where(q => q.Key is not ("page" or "per_page" or "sort_by" or "key"))
                .SelectMany(q => q.Value.Select(v => SixPxSearch.Parse(q.Key, v ?? string.Empty)))
                .ToList();
            var status = conditions.FirstOrDefault(c => c is { Path: "status", Operator: "eq" })?.Value;
            var window = new JobQuery(owner, [SixPxJobHandler.JobKind], status is null ? null : ParseStatus(status), sortField != "created" || descending, SixPxJobSearch.Window);
            if (sortField == "created" && conditions.Count == (status is null ? 0 : 1))
            {
                // The store selects and orders this alone: only the page's rows are read, not the whole window.
                var total = await store.CountAsync(window, context.RequestAborted);
                var offset = Math.Min(total, (long)(page - 1) * perPage);
                var pageRows = offset >= total ? [] : await store.ListAsync(window with { Offset = (int)offset, Limit = (int)Math.Min(perPage, total - offset) }, context.RequestAborted);
                context.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
                await WriteAsync(context, new JsonArray([.. pageRows.Select(view.ToJson)]));
                return;
            }

            // Conditions on the job's fields (or another order) are judged on each job as shown, within the search window.
            var found = await new SixPxJobSearch(store, view).SearchAsync(
                window, conditions, sortField == "created" ? null : sortField, descending, (long)(page - 1) * perPage, perPage, context.RequestAborted);
            context.Response.Headers["X-Total-Count"] = found.Total.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["X-Searched-Count"] = found.Searched.ToString(CultureInfo.InvariantCulture);
            await WriteAsync(context, new JsonArray([.. found.Page]));
        });

    private static async Task<JobRecord> FindAsync(IJobStore store, string id, string owner, CancellationToken cancellationToken)
    {
        var job = id.Length <= 64 ? await store.GetAsync(id, cancellationToken) : null;
        return job is not null && job.Owner == owner && job.Kind == SixPxJobHandler.JobKind
            ? job
            : throw new CdnException(CdnErrorKind.JobNotFound, "No such job");
    }

    private static JobStatus? ParseStatus(string status) =>
        status is "pending" or "processing" or "complete" or "failed" ? JobStatusNames.Parse(status) : throw CdnException.InvalidArgument("status is pending, processing, complete or failed");

    private static (string Field, bool Descending) Sort(string? sortBy)
    {
        if (string.IsNullOrEmpty(sortBy))
        {
            return ("created", true);
        }

        var parts = sortBy.Split(',');
        return parts.Length switch
        {
            1 => (parts[0], false),
            2 when parts[1] is "asc" or "desc" => (parts[0], parts[1] == "desc"),
            _ => throw CdnException.InvalidArgument("sort_by is field, field,asc or field,desc"),
        };
    }

    private static int Number(string? text, string name, int fallback, int min, int max) =>
        text is null ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : throw CdnException.InvalidArgument($"{name} must be between {min} and {max}");

    /// <summary>Answers 200 with a JSON body that is never cached.</summary>
    internal static async Task WriteAsync(HttpContext context, JsonNode json)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted);
    }
}
