using System.Globalization;
using System.Text.Json.Nodes;
using CdnProxy.Core.Jobs;

namespace CdnProxy.Server.Jobs.Pixble;

/// <summary>
/// A Pixble job as <c>GET /job/info/{job_id}</c> answers it (and as its webhook sends it): Pixble's envelope around
/// <c>job_id</c>, <c>task_id</c> "9", <c>status</c> 11 done / 312 processing (pending included) / 912 failed,
/// <c>created_at</c>, <c>last_update</c>, <c>completed_at</c>, <c>created_via</c>, <c>input_file</c>,
/// <c>output_file</c> and <c>files</c>; ours beside them: <c>error</c> (a failed job's public reason), the task's
/// <c>options</c> and, with a webhook, <c>webhook</c> (state, attempts).
/// </summary>
public sealed class PixbleJobView(TimeProvider time) : IJobView
{
    public const int Done = 11;
    public const int Processing = 312;
    public const int Failed = 912;

    public string Kind => PixbleJobHandler.JobKind;

    public string Render(JobRecord job) => PixbleEnvelope.Success(Info(job), time).ToJsonString();

    /// <summary>Pixble's status codes: a queued job is already "processing" (Pixble has no code for queued).</summary>
    public static int Status(JobStatus status) => status switch
    {
        JobStatus.Complete => Done,
        JobStatus.Failed => Failed,
        _ => Processing,
    };

    public static JsonObject Info(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = PixbleJobRequest.Read(job.Request);
        var files = new JsonArray();
        string? FileOf(string which, PixbleStoredFile? stored)
        {
            if (stored is null)
            {
                return null;
            }

            files.Add((JsonNode)PixbleFiles.ToPixble(job.Id, which, stored, request.BaseUrl));
            return PixbleFiles.FileId(job.Id, which);
        }

        var ended = job.Status is JobStatus.Complete or JobStatus.Failed;
        var info = new JsonObject
        {
            ["job_id"] = PixbleFiles.JobId(job.Id),
            ["task_id"] = PixbleJobRequest.MagicTask.ToString(CultureInfo.InvariantCulture),
            ["status"] = Status(job.Status),
            ["created_at"] = Time(job.Created),
            ["last_update"] = Time(job.Modified),
            ["completed_at"] = ended ? Time(job.Modified) : null,
            ["created_via"] = "key",
            ["input_file"] = FileOf(PixbleFiles.Input, request.Input),
            ["output_file"] = FileOf(PixbleFiles.Output, PixbleJobHandler.Output(job)),
            ["files"] = files,
            ["options"] = new JsonObject
            {
                ["clarify_image"] = request.ClarifyImage ? 1 : 0,
                ["adv_illumin"] = request.AdvIllumin,
                ["color_correction"] = request.ColorCorrection ? 1 : 0,
            },
        };
        if (job.Error is { } error)
        {
            info["error"] = error;
        }

        if (job.Webhook != WebhookState.None)
        {
            info["webhook"] = new JsonObject { ["url"] = job.CallbackUrl, ["state"] = JobStatusNames.Name(job.Webhook), ["attempts"] = job.WebhookAttempts };
        }

        return info;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
