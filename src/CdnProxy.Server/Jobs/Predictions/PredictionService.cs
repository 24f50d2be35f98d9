using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Jobs;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Api;
using CdnProxy.Server.Jobs.SixPx;
using CdnProxy.Server.Uploads;

namespace CdnProxy.Server.Jobs.Predictions;

/// <summary>
/// Creates predictions, whichever wire form they came in: validated in full (model, fields bound by the catalogue,
/// the pattern resolved against the image's cloud as a URL of it would be, the jobs cloud writable, the webhook), an
/// image sent as a data URI stored (as 6px's and Pixble's are: refused at once when it is no accepted image, and the
/// job's row keeps where it is, not the base64 every poll and webhook would parse), then submitted to the job engine
/// (bounds, <c>Idempotency-Key</c>) and answered as accepted.
/// </summary>
public sealed class PredictionService(
    JobsOptions options,
    PredictionModels models,
    JobSubmission submission,
    IJobStore store,
    PredictionJobView view,
    RequestResolver resolver,
    UploadService uploads,
    JobInputs inputs,
    TimeProvider time)
{
    /// <summary>
    /// Stores a prediction of <paramref name="owner"/>; an image read from a cloud (<c>cloud://</c>, private files
    /// included) must be of a cloud <paramref name="scope"/> serves.
    /// </summary>
    public async Task<JsonObject> CreateAsync(
        string owner, ApiKeyScope scope, JsonObject body, ReadOnlyMemory<byte> bodyBytes, string? idempotencyKey, string baseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var request = PredictionRequest.Parse(body, models, options, baseUrl);
        var image = request.Image(options);
        if (JobInputs.CloudOf(image) is { } cloud)
        {
            scope.EnsureServes(cloud);
        }

        _ = uploads.JobsTarget(options.Cloud, null);
        _ = resolver.Resolve(new ImageRequest(JobInputs.CheckPath(image, request.Pattern, options)));
        if (image.Kind == JobInputKind.Data)
        {
            request = request with { DataUriShown = PredictionRequest.Shown(image.Text) };
        }

        var jobId = JobSubmission.NewId(time.GetUtcNow());
        var stored = await inputs.StoreDataUrisAsync(jobId, [image], request.Input, cancellationToken).ConfigureAwait(false);
        var id = await submission.SubmitStoredAsync(
            stored,
            () => new NewJob(PredictionJobHandler.JobKind, owner, request.Write(), request.Webhook, jobId),
            idempotencyKey,
            bodyBytes,
            cancellationToken).ConfigureAwait(false);
        var job = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return job is { Kind: PredictionJobHandler.JobKind }
            ? view.ToJson(job, accepted: true)
            : throw new CdnException(CdnErrorKind.IdempotencyKeyReused, "This Idempotency-Key was used for another kind of job");
    }

    /// <summary>One of <paramref name="owner"/>'s predictions by its public id; 404 for any other.</summary>
    public async Task<JsonObject> GetAsync(string owner, string publicId, CancellationToken cancellationToken)
    {
        var jobId = PredictionJobView.JobId(publicId);
        var job = jobId is { Length: <= 64 } ? await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false) : null;
        return job is not null && job.Owner == owner && job.Kind == PredictionJobHandler.JobKind
            && PredictionJobView.PublicId(PredictionRequest.Read(job.Request).Model, job.Id) == publicId
            ? view.ToJson(job)
            : throw new CdnException(CdnErrorKind.JobNotFound, "No such prediction");
    }
}
