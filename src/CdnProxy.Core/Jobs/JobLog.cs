using Microsoft.Extensions.Logging;

namespace CdnProxy.Core.Jobs;

internal static partial class JobLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "The job store failed; retrying")]
    public static partial void JobStoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error, Message = "Job {Id} failed unexpectedly")]
    public static partial void JobFailed(ILogger logger, string id, Exception exception);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Job {Id}: the lease was lost (cancelled, or re-claimed after it expired); this result is discarded")]
    public static partial void JobLeaseLost(ILogger logger, string id);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Webhook of job {Id}: attempt {Attempt} failed ({Reason})")]
    public static partial void WebhookAttemptFailed(ILogger logger, string id, int attempt, string reason);
}
