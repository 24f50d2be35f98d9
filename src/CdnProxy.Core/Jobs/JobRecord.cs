namespace CdnProxy.Core.Jobs;

/// <summary>
/// One job as stored. <see cref="Request"/> is the face's validated request (JSON, the face's own shape);
/// <see cref="Result"/> what the handler produced (JSON); the face renders both for its answers and webhooks.
/// </summary>
public sealed record JobRecord
{
    public required string Id { get; init; }

    /// <summary>Which handler runs it (e.g. <c>6px</c>), and which face renders it.</summary>
    public required string Kind { get; init; }

    /// <summary>Whose job it is: a digest of the API key that created it (never the key itself).</summary>
    public required string Owner { get; init; }

    public JobStatus Status { get; init; } = JobStatus.Pending;

    public required DateTimeOffset Created { get; init; }

    public required DateTimeOffset Modified { get; init; }

    public required string Request { get; init; }

    public string? Result { get; init; }

    /// <summary>A short public reason when the job failed (never a stack trace).</summary>
    public string? Error { get; init; }

    /// <summary>How many times a worker claimed it (more than one after a lease expired).</summary>
    public int Runs { get; init; }

    public string? CallbackUrl { get; init; }

    public WebhookState Webhook { get; init; }

    public int WebhookAttempts { get; init; }

    /// <summary>When the next webhook attempt is due; while an attempt runs, when its lease ends.</summary>
    public DateTimeOffset? WebhookDue { get; init; }
}

/// <summary>What a handler made of a job: a result to keep, or a public reason it failed.</summary>
public sealed record JobOutcome(JobStatus Status, string? Result, string? Error)
{
    public static JobOutcome Complete(string result) => new(JobStatus.Complete, result, null);

    public static JobOutcome Failed(string error, string? result = null) => new(JobStatus.Failed, result, error);
}

/// <summary>A stored <c>Idempotency-Key</c>: the hash of the body first sent with it and the job it created.</summary>
public sealed record IdempotentCall(string BodyHash, string JobId);

/// <summary>
/// The part of the job list a store selects for a face's search: one owner's jobs of some kinds, optionally of one
/// status, ordered by creation (newest first when <c>Newest</c>), at most <c>Limit</c> rows (the search window) after
/// skipping <c>Offset</c> (a page the store reads alone), and only rows that come after <c>After</c> in that order
/// when given (a search reading the window in batches: rows created meanwhile neither repeat nor shift it).
/// </summary>
public sealed record JobQuery(string Owner, IReadOnlyList<string> Kinds, JobStatus? Status, bool Newest, int Limit, int Offset = 0, JobRecord? After = null);
