namespace CdnProxy.Core.Jobs;

/// <summary>
/// Durable job state shared by every replica. Claims are leases: a job claimed by a worker that dies becomes claimable
/// again when its lease ends, and only the lease holder's result is kept, so no job completes twice.
/// </summary>
public interface IJobStore
{
    /// <summary>Creates the schema when missing.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores a new pending job, and with it the idempotency key when given, unless the owner already used that key (a
    /// concurrent first call won: the caller reads the stored call instead) or already has <paramref name="maxActive"/>
    /// jobs pending or processing: counted and inserted as one step, so submissions arriving together cannot all pass
    /// the same count.
    /// </summary>
    Task<JobCreation> CreateWithinAsync(JobRecord job, int maxActive, string? idempotencyKey, string? bodyHash, DateTimeOffset idempotencyExpires, CancellationToken cancellationToken);

    /// <summary>The unexpired call stored for an owner's idempotency key, or null.</summary>
    Task<IdempotentCall?> FindIdempotentAsync(string owner, string idempotencyKey, DateTimeOffset now, CancellationToken cancellationToken);

    Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>How many rows <see cref="ListAsync"/> would select with no offset: at most the query's limit.</summary>
    Task<int> CountAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>Jobs of an owner not yet ended (pending or processing).</summary>
    Task<int> CountActiveAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Leases the oldest claimable job (pending, or processing with an expired lease) to a worker; null when none.</summary>
    Task<JobRecord?> ClaimAsync(string worker, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Extends a lease the worker still holds; false when it lost it (expired and re-claimed, or cancelled).</summary>
    Task<bool> RenewAsync(string id, string worker, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Ends a job the worker still holds; its webhook, if any, becomes due at once. False when the lease was lost.</summary>
    Task<bool> FinishAsync(string id, string worker, JobOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Fails a job that has not ended yet (its worker's result is then discarded); false when it already ended.</summary>
    Task<bool> CancelAsync(string id, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Leases the next due webhook delivery of an owner not in <paramref name="busyOwners"/> (its due time moves to the
    /// lease's end); null when none is due.
    /// </summary>
    Task<JobRecord?> ClaimWebhookAsync(DateTimeOffset now, TimeSpan lease, IReadOnlyCollection<string> busyOwners, CancellationToken cancellationToken);

    /// <summary>Records an attempt: delivered, due again at <paramref name="nextDue"/>, or failed for good.</summary>
    Task RecordWebhookAsync(string id, WebhookState state, int attempts, DateTimeOffset? nextDue, CancellationToken cancellationToken);

    /// <summary>Forgets idempotency keys past their expiry.</summary>
    Task PruneAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> jobs that ended (complete or failed) before <paramref name="endedBefore"/> and owe
    /// no webhook delivery, the longest-ended first.
    /// </summary>
    Task<IReadOnlyList<JobRecord>> ListEndedAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken);

    /// <summary>Forgets a job that has ended and owes no webhook, with its idempotency keys; false when there was none such.</summary>
    Task<bool> DeleteEndedAsync(string id, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IJobStore.CreateWithinAsync"/> did.</summary>
public enum JobCreation
{
    Created,

    /// <summary>The owner already used the idempotency key (a concurrent first call won): nothing stored.</summary>
    IdempotencyKeyTaken,

    /// <summary>The owner already has the most jobs pending or processing it may: nothing stored.</summary>
    TooManyActive,
}
