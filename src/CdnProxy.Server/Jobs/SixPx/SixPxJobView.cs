using System.Globalization;
using System.Text.Json.Nodes;
using CdnProxy.Core.Jobs;

namespace CdnProxy.Server.Jobs.SixPx;

/// <summary>
/// A job as 6px shows it (GET, list, webhook body): <c>_id</c> (and <c>id</c>), <c>created</c>, <c>modified</c>,
/// <c>status</c>, the request's <c>input</c>, <c>output</c> (S3 secrets masked), <c>data</c>, <c>callback</c>, and
/// once run <c>processed</c> (<c>duration</c> start/upload/download/total/end, <c>output</c> per file with
/// <c>info</c> bytes/width/height and its <c>url</c>, <c>bytes</c>); a failed job adds <c>error</c>.
/// </summary>
public sealed class SixPxJobView(JobsOptions options) : IJobView
{
    public string Kind => SixPxJobHandler.JobKind;

    public string Render(JobRecord job) => ToJson(job).ToJsonString();

    public JsonObject ToJson(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var body = SixPxStoredRequest.Read(job.Request).Body;
        var output = body["output"]?.DeepClone() as JsonArray ?? [];
        foreach (var item in output.OfType<JsonObject>())
        {
            if (item["url"] is JsonValue url && !options.Destinations.ContainsKey(url.GetValue<string>())
                && JobDestination.TryParse(url.GetValue<string>(), out var destination) is null)
            {
                item["url"] = destination!.Masked;
            }
        }

        var json = new JsonObject
        {
            ["_id"] = job.Id,
            ["id"] = job.Id,
            ["created"] = Time(job.Created),
            ["modified"] = Time(job.Modified),
            ["status"] = JobStatusNames.Name(job.Status),
            ["input"] = body["input"]?.DeepClone(),
            ["output"] = output,
            ["data"] = body["data"]?.DeepClone() ?? new JsonObject(),
            ["callback"] = new JsonObject { ["url"] = job.CallbackUrl ?? string.Empty },
        };
        if (job.Result is { } result)
        {
            json["processed"] = JsonNode.Parse(result);
        }

        if (job.Error is { } error)
        {
            json["error"] = error;
        }

        if (job.Webhook != WebhookState.None)
        {
            json["webhook"] = new JsonObject { ["state"] = JobStatusNames.Name(job.Webhook), ["attempts"] = job.WebhookAttempts };
        }

        return json;
    }

    /// <summary>6px's timestamps: UTC, milliseconds, <c>Z</c> (<c>2026-12-06T02:51:19.559Z</c>).</summary>
    internal static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
