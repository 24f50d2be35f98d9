using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Assets;
using CdnProxy.Core.Jobs;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Api;
using CdnProxy.Server.Endpoints;
using CdnProxy.Server.Hosting;
using CdnProxy.Server.Http;
using CdnProxy.Server.Streaming;
using CdnProxy.Server.Uploads;

namespace CdnProxy.Server.Jobs.Pixble;

/// <summary>
/// Pixble's API (docs/jobs.md): <c>POST /job/new</c> (task 9, Pixble Magic), <c>GET /job/info/{job_id}</c>,
/// <c>GET /media/get/{file_id}</c> and <c>GET /media/preview/{file_id}</c>. The key comes as <c>key=</c> in the query or the body (Pixble's way) or any
/// header the other APIs take; a key in the headers or query is checked before the body is read. Every answer,
/// errors included, is Pixble's envelope; the HTTP status comes from <see cref="CdnErrorMapper"/>. A key sees only
/// its own jobs and files (another key's are 404).
/// </summary>
public static class PixbleEndpoints
{
    private const long FieldsOverheadBytes = 64 * 1024;
    private static readonly PixbleForm NoFields = new(new Dictionary<string, string>(), null);

    public static IEndpointRouteBuilder MapPixbleJobs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/job/new", CreateAsync);
        endpoints.MapGet("/job/info/{jobId}", InfoAsync);
        endpoints.MapGet("/media/get/{fileId}", MediaAsync);
        endpoints.MapGet("/media/preview/{fileId}", PreviewAsync);
        return endpoints;
    }

    private static Task CreateAsync(HttpContext context, JobsOptions options, JobSubmission submission, JobInputs inputs, RequestResolver resolver, UploadService uploads, TimeProvider time, RenderGate gate) =>
        RunAsync(context, MaxBody(options), readsBody: true, async (owner, form) =>
        {
            // Checked before anything is stored: the jobs cloud writable, every field and the image, the pattern bound.
            _ = uploads.JobsTarget(options.Cloud, null);
            var (request, image) = PixbleJobRequest.Parse(form, options, UploadApiCall.BaseUrl(context), uploads.EnsureSniffedFormatAllowed);
            _ = resolver.Resolve(new ImageRequest($"/v2/{options.Cloud}/{request.Pattern}/jobs/input.jpg"));

            // The idempotency hash covers the fields and the image, not where this call stores it.
            var body = Encoding.UTF8.GetBytes(request.Write()).Concat(SHA256.HashData(image)).ToArray();

            // The image is stored (upload path: header-checked, quota) under the job's id before the job exists,
            // so the job's row keeps only where it is: polls read a few hundred bytes, not the image.
            var id = JobSubmission.NewId(time.GetUtcNow());
            var source = await inputs.StoreAsync(id, PixbleFiles.Input, new MemoryStream(image, writable: false), context.RequestAborted);
            var meta = await ImageHeaderReader.ReadOnRenderWorkerAsync(gate, image, context.RequestAborted);
            var created = await submission.SubmitStoredAsync(
                [source],
                () => new NewJob(
                    PixbleJobHandler.JobKind,
                    owner,
                    (request with { Input = PixbleStoredFile.Of(source, image, meta) }).Write(),
                    request.Webhook,
                    id),
                context.Request.Headers["Idempotency-Key"].LastOrDefault(),
                body,
                context.RequestAborted);
            var result = new JsonObject { ["job_id"] = PixbleFiles.JobId(created), ["uuid"] = Guid.ParseExact(created, "N").ToString() };
            await WriteAsync(context, PixbleEnvelope.Success(result, time), StatusCodes.Status200OK);
        });

    private static Task InfoAsync(HttpContext context, string jobId, IJobStore store, TimeProvider time) =>
        RunAsync(context, 0, readsBody: false, async (owner, _) =>
        {
            var job = await FindAsync(store, PixbleFiles.ParseJobId(jobId), owner, context.RequestAborted);
            await WriteAsync(context, PixbleEnvelope.Success(PixbleJobView.Info(job), time), StatusCodes.Status200OK);
        });

    /// <summary>
    /// The file's stored bytes with its type: read whole from the jobs cloud (capped like any original), through the
    /// origin cooldowns as renders and jobs read it: an origin that asked us to wait is not asked meanwhile.
    /// </summary>
    private static Task MediaAsync(HttpContext context, string fileId, IJobStore store, ICloudCatalog clouds, OriginCooldowns cooldowns) =>
        RunAsync(context, 0, readsBody: false, async (owner, _) =>
        {
            var stored = await FindFileAsync(store, fileId, owner, context.RequestAborted);
            var origin = clouds.Find(stored.Cloud)?.Origin;
            using var file = (origin is null ? null : await cooldowns.FetchAsync(origin, stored.Path, context.RequestAborted))
                ?? throw new CdnException(CdnErrorKind.JobNotFound, "The file is no longer stored");
            await WriteFileAsync(context, file.Content, stored.ContentType, stored.Path);
        });

    /// <summary>The file fitted inside <see cref="PixbleFiles.PreviewSide"/> px, rendered by the pipeline like any URL.</summary>
    private static Task PreviewAsync(HttpContext context, string fileId, IJobStore store, ImagePipeline pipeline) =>
        RunAsync(context, 0, readsBody: false, async (owner, _) =>
        {
            var stored = await FindFileAsync(store, fileId, owner, context.RequestAborted);
            var pattern = PixbleFiles.PreviewPattern(stored.Width, stored.Height);
            var rendered = await pipeline.HandleAsync(new ImageRequest($"/v2/{stored.Cloud}/{pattern}/{stored.Path}"), context.RequestAborted);
            await WriteFileAsync(context, rendered.Rendition.Bytes, rendered.Rendition.ContentType, stored.Path);
        });

    /// <summary>The owner's file an id names (a job id names its output); else 404.</summary>
    private static async Task<PixbleStoredFile> FindFileAsync(IJobStore store, string fileId, string owner, CancellationToken cancellationToken)
    {
        var named = PixbleFiles.ParseFileId(fileId);
        var job = await FindAsync(store, named?.JobId, owner, cancellationToken);
        var file = named!.Value.Which == PixbleFiles.Input ? PixbleJobRequest.Read(job.Request).Input : PixbleJobHandler.Output(job);
        return file ?? throw new CdnException(CdnErrorKind.JobNotFound, "No such file (a job's output exists once its status is 11)");
    }

    /// <summary>
    /// A stored file's bytes with its type. An SVG (where uploads accept it) is sandboxed and an attachment, as the CDN
    /// sends every stored file: served inline, a job's SVG input ran its script on our domain from a keyed link.
    /// </summary>
    private static async Task WriteFileAsync(HttpContext context, ReadOnlyMemory<byte> bytes, string contentType, string path)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        response.Headers.CacheControl = "private, max-age=86400";
        response.Headers.XContentTypeOptions = "nosniff";
        StoredFileHeaders.ApplyDisposition(response, path, disposition: null);
        await response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>
    /// Runs a call with the API key (404 while the server has none; 401 when wrong or missing), the jobs' rate limit
    /// and the body cap, and answers failures in Pixble's envelope; passes the owner and the body's fields.
    /// </summary>
    private static async Task RunAsync(HttpContext context, long maxBody, bool readsBody, Func<string, PixbleForm, Task> call)
    {
        var services = context.RequestServices;
        RequestBodyBudget.Lease? lease = null;
        try
        {
            UploadApiCall.CapBody(context, maxBody);
            var keys = services.GetRequiredService<ApiKeyVerifier>();
            if (!keys.Enabled)
            {
                throw new CdnException(CdnErrorKind.JobNotFound, "The job API is not enabled (it needs CdnProxy:Api:Keys or CdnProxy:Api:CloudKeys)");
            }

            var presented = keys.CheckPresentedKey(context.Request, KeyRequiredMessage);

            var form = NoFields;
            if (readsBody)
            {
                // Held until the call ends: the decoded image stays in memory that long (the body while it is parsed).
                lease = BudgetedRequestBody.Enter(context, UploadRateLimiter.Partition(presented, context), maxBody);
                try
                {
                    form = await PixbleBody.ReadAsync(context.Request, maxBody, context.RequestAborted);
                }
                catch (Exception e) when (presented is null && !lease.Refused && UploadApiCall.Failure(e) is not null)
                {
                    // Without a readable body there is no key: the caller is refused, not told about its body.
                    throw KeyRequired();
                }
            }

            var key = keys.Authenticate(context.Request, form.Fields.GetValueOrDefault("key")) ?? throw KeyRequired();

            UploadApiCall.EnsureWithinRate(context, key, services.GetRequiredService<JobRateLimiter>().Limiter);
            await call(UploadRateLimiter.Partition(key, context), form);
        }
        catch (Exception e) when (UploadApiCall.Failure(e) is { } failure)
        {
            var mapping = CdnErrorMapper.Map(failure.Kind);
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("CdnProxy.Server.Jobs");
            ServerLog.RequestFailed(logger, mapping, failure);
            if (!context.Response.HasStarted)
            {
                services.GetRequiredService<ImageResponseWriter>().StartError(context, mapping, failure.RetryAfter);
                if (failure.Kind == CdnErrorKind.ApiKeyInvalid)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                }

                await WriteBodyAsync(context, PixbleEnvelope.Error(mapping.Code, failure.Message, services.GetRequiredService<TimeProvider>()));
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            lease?.Dispose();
        }
    }

    /// <summary>
    /// The body cap: the largest image as base64, with a quarter more for line breaks and form encoding (a
    /// urlencoded '+' or '/' takes three characters), and room for the other fields.
    /// </summary>
    public static long MaxBody(JobsOptions options) => (options.MaxInputBytes + 2) / 3 * 4 * 5 / 4 + FieldsOverheadBytes;

    private const string KeyRequiredMessage = "A valid API key is required (key= in the query or the body, or Authorization: Bearer)";

    private static CdnException KeyRequired() => new(CdnErrorKind.ApiKeyInvalid, KeyRequiredMessage);

    private static async Task<JobRecord> FindAsync(IJobStore store, string? id, string owner, CancellationToken cancellationToken)
    {
        var job = id is null ? null : await store.GetAsync(id, cancellationToken);
        return job is not null && job.Owner == owner && job.Kind == PixbleJobHandler.JobKind
            ? job
            : throw new CdnException(CdnErrorKind.JobNotFound, "No such job");
    }

    private static Task WriteAsync(HttpContext context, JsonNode json, int status)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        return WriteBodyAsync(context, json);
    }

    private static async Task WriteBodyAsync(HttpContext context, JsonNode json)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted);
    }
}
