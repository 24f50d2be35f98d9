using System.Security.Cryptography;
using CdnProxy.Core;
using CdnProxy.Core.Jobs;

namespace CdnProxy.Server.Jobs;

/// <summary>
/// What a face submits once its request is valid: the kind, the owner, the stored request and the callback; and the
/// job's id when the face chose it (it stored files under it before the job), else a new one is made.
/// </summary>
public sealed record NewJob(string Kind, string Owner, string Request, string? CallbackUrl, string? Id = null);

/// <summary>
/// Creates jobs for every face: the owner's jobs in flight bounded (<c>Jobs:MaxActiveJobsPerKey</c>, 429), an
/// <c>Idempotency-Key</c> kept <c>Jobs:IdempotencyHours</c> with a hash of the body (a replay answers the first job; the
/// same key with another body is 422), then the job stored pending and this replica's workers woken.
/// </summary>
public sealed class JobSubmission(IJobStore store, JobRunner runner, JobInputs inputs, JobsOptions options, TimeProvider time)
{
    /// <summary>The id of the job created, or of the job a replayed idempotency key created.</summary>
    public async Task<string> SubmitAsync(NewJob job, string? idempotencyKey, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var now = time.GetUtcNow();
        var hash = idempotencyKey is null ? null : Convert.ToHexString(SHA256.HashData(body.Span));
        if (idempotencyKey is not null)
        {
            if (idempotencyKey.Length is 0 or > 255)
            {
                throw CdnException.InvalidArgument("Idempotency-Key is 1 to 255 characters");
            }

            if (await ReplayAsync(job.Owner, idempotencyKey, hash!, now, cancellationToken).ConfigureAwait(false) is { } replayed)
            {
                return replayed;
            }
        }

        var record = new JobRecord
        {
            Id = job.Id ?? NewId(now),
            Kind = job.Kind,
            Owner = job.Owner,
            Created = now,
            Modified = now,
            Request = job.Request,
            CallbackUrl = job.CallbackUrl,
        };
        switch (await store.CreateWithinAsync(record, options.MaxActiveJobsPerKey, idempotencyKey, hash, now.AddHours(options.IdempotencyHours), cancellationToken).ConfigureAwait(false))
        {
            case JobCreation.TooManyActive:
                throw new CdnException(CdnErrorKind.TooManyJobs, $"This API key already has {options.MaxActiveJobsPerKey} jobs pending or processing");
            case JobCreation.IdempotencyKeyTaken:
                // A concurrent call with the same key won the race: answer as a replay of it.
                return await ReplayAsync(job.Owner, idempotencyKey!, hash!, now, cancellationToken).ConfigureAwait(false)
                    ?? throw CdnException.InvalidArgument("Idempotency-Key is being used by another request; retry");
        }

        runner.Nudge();
        return record.Id;
    }

    /// <summary>
    /// Submits a job whose inputs the face stored under the job's id first (<paramref name="stored"/>): they are deleted
    /// when no job uses them, because the job is refused (e.g. too many jobs) or an Idempotency-Key replay answers
    /// the first job. <paramref name="job"/> is made inside that guard.
    /// </summary>
    public async Task<string> SubmitStoredAsync(IReadOnlyList<RenderSource> stored, Func<NewJob> job, string? idempotencyKey, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        string? id = null;
        string created;
        try
        {
            var made = job();
            id = made.Id;
            created = await SubmitAsync(made, idempotencyKey, body, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await inputs.DiscardAsync(stored).ConfigureAwait(false);
            throw;
        }

        if (created != id)
        {
            await inputs.DiscardAsync(stored).ConfigureAwait(false);
        }

        return created;
    }

    /// <summary>A new job id: time-ordered (UUID v7), 32 hex digits.</summary>
    public static string NewId(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("N");

    private async Task<string?> ReplayAsync(string owner, string key, string hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await store.FindIdempotentAsync(owner, key, now, cancellationToken).ConfigureAwait(false);
        return stored is null ? null
            : stored.BodyHash == hash ? stored.JobId
            : throw new CdnException(CdnErrorKind.IdempotencyKeyReused, "This Idempotency-Key was used with another body");
    }
}
