namespace CdnProxy.Core.Jobs;

/// <summary>Where a job is. The names on the wire are 6px's: <c>pending</c>, <c>processing</c>, <c>complete</c>, <c>failed</c>.</summary>
public enum JobStatus
{
    Pending,
    Processing,
    Complete,
    Failed,
}

/// <summary>What became of a job's webhook.</summary>
public enum WebhookState
{
    /// <summary>The job has no callback.</summary>
    None,

    /// <summary>Waiting for the job to end, or for its next attempt.</summary>
    Pending,

    Delivered,

    /// <summary>Every attempt of the schedule failed.</summary>
    Failed,
}

/// <summary>The wire names of <see cref="JobStatus"/>.</summary>
public static class JobStatusNames
{
    public static string Name(JobStatus status) => status switch
    {
        JobStatus.Pending => "pending",
        JobStatus.Processing => "processing",
        JobStatus.Complete => "complete",
        _ => "failed",
    };

    public static JobStatus Parse(string name) => name switch
    {
        "pending" => JobStatus.Pending,
        "processing" => JobStatus.Processing,
        "complete" => JobStatus.Complete,
        "failed" => JobStatus.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown job status"),
    };

    public static string Name(WebhookState state) => state switch
    {
        WebhookState.Pending => "pending",
        WebhookState.Delivered => "delivered",
        WebhookState.Failed => "failed",
        _ => "none",
    };

    public static WebhookState ParseWebhook(string? name) => name switch
    {
        "pending" => WebhookState.Pending,
        "delivered" => WebhookState.Delivered,
        "failed" => WebhookState.Failed,
        _ => WebhookState.None,
    };
}
