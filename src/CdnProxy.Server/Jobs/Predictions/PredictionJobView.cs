using System.Globalization;
using System.Text.Json.Nodes;
using CdnProxy.Core.Jobs;

namespace CdnProxy.Server.Jobs.Predictions;

/// <summary>
/// A prediction as Pixelbin shows it (create, GET, webhook body): <c>_id</c> (<c>plugin--operation--job</c>, as the
/// seed's <c>erase--bg--0198a23e</c>), <c>name</c>, <c>status</c> (<c>ACCEPTED</c>, <c>PROCESSING</c>,
/// <c>SUCCESS</c>, <c>FAILURE</c>), <c>input</c>, <c>urls.get</c>, <c>createdAt</c>, <c>retention</c>; once done
/// <c>output</c> (the result URLs) or <c>error</c>; and the webhook's delivery state when it has one.
/// </summary>
public sealed class PredictionJobView(JobsOptions options) : IJobView
{
    /// <summary>How long results are kept: <c>unlimited</c> (until deleted), or the days of <see cref="JobsOptions.RetentionDays"/> (<c>30d</c>).</summary>
    public string Retention { get; } = options.RetentionDays == 0 ? "unlimited" : options.RetentionDays.ToString(CultureInfo.InvariantCulture) + "d";

    private const string Separator = "--";

    public string Kind => PredictionJobHandler.JobKind;

    public string Render(JobRecord job) => ToJson(job).ToJsonString();

    /// <summary>The prediction's public id for a job of <paramref name="model"/>.</summary>
    public static string PublicId(string model, string jobId)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Replace("_", Separator, StringComparison.Ordinal) + Separator + jobId;
    }

    /// <summary>The job id inside a public id (its last part), or null when it has no model prefix.</summary>
    public static string? JobId(string publicId)
    {
        ArgumentNullException.ThrowIfNull(publicId);
        var at = publicId.LastIndexOf(Separator, StringComparison.Ordinal);
        return at > 0 ? publicId[(at + Separator.Length)..] : null;
    }

    /// <summary>The job as the predictions face shows it; <paramref name="accepted"/> shows it as just created.</summary>
    public JsonObject ToJson(JobRecord job, bool accepted = false)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = PredictionRequest.Read(job.Request);
        var id = PublicId(request.Model, job.Id);
        var result = job.Result is { } text ? JsonNode.Parse(text) as JsonObject : null;
        var input = request.Input.DeepClone().AsObject();
        input[PredictionModels.ImageField] = (string?)result?["image"] ?? request.DataUriShown ?? PredictionRequest.Shown((string)input[PredictionModels.ImageField]!);
        var status = accepted ? "ACCEPTED" : job.Status switch
        {
            JobStatus.Pending => "ACCEPTED",
            JobStatus.Processing => "PROCESSING",
            JobStatus.Complete => "SUCCESS",
            _ => "FAILURE",
        };
        var json = new JsonObject
        {
            ["_id"] = id,
            ["name"] = request.Model,
            ["status"] = status,
            ["input"] = input,
            ["urls"] = new JsonObject { ["get"] = $"{request.BaseUrl}/api/v1/predictions/{id}" },
            ["createdAt"] = job.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["retention"] = Retention,
        };
        if (!accepted && result?["output"] is { } output)
        {
            json["output"] = output.DeepClone();
        }

        if (!accepted && job.Error is { } error)
        {
            json["error"] = error;
        }

        if (request.Webhook is { } webhook)
        {
            json["webhook"] = webhook;
            if (!accepted)
            {
                json["webhookDelivery"] = new JsonObject { ["state"] = JobStatusNames.Name(job.Webhook), ["attempts"] = job.WebhookAttempts };
            }
        }

        return json;
    }
}
