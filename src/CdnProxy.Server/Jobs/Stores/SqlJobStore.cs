using System.Data;
using System.Data.Common;
using CdnProxy.Core.Jobs;

namespace CdnProxy.Server.Jobs.Stores;

/// <summary>
/// The job store over plain SQL that SQLite and PostgreSQL both speak (times are Unix milliseconds, JSON is text);
/// the adapters add their connection, their schema types and the claim's row lock. A claim is one
/// <c>UPDATE … WHERE id = (SELECT … LIMIT 1 [FOR UPDATE SKIP LOCKED]) RETURNING …</c>, so two workers never lease one
/// job; finishing and renewing check the lease holder, so a worker whose lease was taken over keeps nothing. Claims
/// take the API keys in turn: each job's turn is its place among its owner's jobs not yet ended, and the lowest turn
/// goes first (then the oldest), so a key that queued a hundred jobs does not hold back another key's one.
/// </summary>
public abstract class SqlJobStore : IJobStore
{
    private const string Columns =
        "id, kind, owner, status, created, modified, request, result, error, runs, callback_url, webhook, webhook_attempts, webhook_due";

    /// <summary>
    /// Appended to the claim's inner SELECT: PostgreSQL's <c>FOR UPDATE OF cdnproxy_jobs SKIP LOCKED</c> (only the table's rows:
    /// the turns are a window function's, which cannot be locked); SQLite serialises writers itself.
    /// </summary>
    protected abstract string RowLockClause { get; }

    /// <summary>The column type of Unix-millisecond times and counters.</summary>
    protected abstract string BigIntType { get; }

    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Run first in the schema's transaction: PostgreSQL takes an advisory lock, because replicas starting together would
    /// otherwise race on <c>CREATE … IF NOT EXISTS</c> (it is not atomic against a concurrent create). SQLite: none needed.
    /// </summary>
    protected virtual string? SchemaLock => null;

    public virtual async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var rollback = transaction.ConfigureAwait(false);
            if (SchemaLock is { } schemaLock)
            {
                await ExecuteAsync(connection, transaction, schemaLock, [], cancellationToken).ConfigureAwait(false);
            }

            var big = BigIntType;
            await ExecuteAsync(connection, transaction, $"""
                CREATE TABLE IF NOT EXISTS cdnproxy_jobs (
                  id TEXT PRIMARY KEY, kind TEXT NOT NULL, owner TEXT NOT NULL, status TEXT NOT NULL,
                  created {big} NOT NULL, modified {big} NOT NULL, request TEXT NOT NULL, result TEXT NULL, error TEXT NULL,
                  runs INTEGER NOT NULL DEFAULT 0, lease_owner TEXT NULL, lease_until {big} NULL,
                  callback_url TEXT NULL, webhook TEXT NOT NULL, webhook_attempts INTEGER NOT NULL DEFAULT 0, webhook_due {big} NULL);
                CREATE INDEX IF NOT EXISTS cdnproxy_jobs_claim ON cdnproxy_jobs (status, created);
                CREATE INDEX IF NOT EXISTS cdnproxy_jobs_owner ON cdnproxy_jobs (owner, created);
                CREATE INDEX IF NOT EXISTS cdnproxy_jobs_webhook ON cdnproxy_jobs (webhook, webhook_due);
                CREATE INDEX IF NOT EXISTS cdnproxy_jobs_ended ON cdnproxy_jobs (status, modified);
                CREATE TABLE IF NOT EXISTS cdnproxy_job_keys (
                  owner TEXT NOT NULL, idempotency_key TEXT NOT NULL, body_hash TEXT NOT NULL, job_id TEXT NOT NULL,
                  expires {big} NOT NULL, PRIMARY KEY (owner, idempotency_key));
                """, [], cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The jobs of <c>@owner</c> in flight: what <c>MaxActiveJobsPerKey</c> bounds. One expression for the count
    /// reported (<see cref="CountActiveAsync"/>) and the one the insert checks, so they cannot disagree.
    /// </summary>
    private const string ActiveJobsOfOwner = "(SELECT COUNT(*) FROM cdnproxy_jobs WHERE owner = @owner AND status IN ('pending', 'processing'))";

    /// <summary>
    /// Run first in a creating transaction, with <c>@owner</c>: PostgreSQL takes an advisory lock on the owner, because
    /// under READ COMMITTED two concurrent inserts each count only the rows committed before them. SQLite: none needed
    /// (one writer at a time, and the count is in the insert's own statement).
    /// </summary>
    protected virtual string? OwnerLock => null;

    public async Task<JobCreation> CreateWithinAsync(JobRecord job, int maxActive, string? idempotencyKey, string? bodyHash, DateTimeOffset idempotencyExpires, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (OwnerLock is { } ownerLock)
                {
                    await ExecuteAsync(connection, transaction, ownerLock, [("owner", job.Owner)], cancellationToken).ConfigureAwait(false);
                }

                if (idempotencyKey is not null)
                {
                    await ExecuteAsync(connection, transaction, "DELETE FROM cdnproxy_job_keys WHERE owner = @owner AND idempotency_key = @key AND expires <= @now",
                        [("owner", job.Owner), ("key", idempotencyKey), ("now", Millis(job.Created))], cancellationToken).ConfigureAwait(false);
                    var stored = await ExecuteAsync(connection, transaction, """
                        INSERT INTO cdnproxy_job_keys (owner, idempotency_key, body_hash, job_id, expires)
                        VALUES (@owner, @key, @hash, @id, @expires) ON CONFLICT DO NOTHING
                        """, [("owner", job.Owner), ("key", idempotencyKey), ("hash", bodyHash ?? string.Empty), ("id", job.Id), ("expires", Millis(idempotencyExpires))],
                        cancellationToken).ConfigureAwait(false);
                    if (stored == 0)
                    {
                        await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                        return JobCreation.IdempotencyKeyTaken;
                    }
                }

                // Counted in the insert itself: a count first, then an insert, let a burst of submissions all pass one count.
                var inserted = await ExecuteAsync(connection, transaction, $"""
                    INSERT INTO cdnproxy_jobs ({Columns})
                    SELECT @id, @kind, @owner, @status, @created, @modified, @request, NULL, NULL, 0, @callback, @webhook, 0, NULL
                    WHERE {ActiveJobsOfOwner} < @max_active
                    """, [("id", job.Id), ("kind", job.Kind), ("owner", job.Owner), ("status", JobStatusNames.Name(job.Status)),
                        ("created", Millis(job.Created)), ("modified", Millis(job.Modified)), ("request", job.Request),
                        ("callback", job.CallbackUrl), ("webhook", JobStatusNames.Name(job.CallbackUrl is null ? WebhookState.None : WebhookState.Pending)),
                        ("max_active", (long)maxActive)],
                    cancellationToken).ConfigureAwait(false);
                if (inserted == 0)
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    return JobCreation.TooManyActive;
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return JobCreation.Created;
            }
        }
    }

    public async Task<IdempotentCall?> FindIdempotentAsync(string owner, string idempotencyKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null,
                "SELECT body_hash, job_id FROM cdnproxy_job_keys WHERE owner = @owner AND idempotency_key = @key AND expires > @now",
                [("owner", owner), ("key", idempotencyKey), ("now", Millis(now))]);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new IdempotentCall(reader.GetString(0), reader.GetString(1)) : null;
            }
        }
    }

    public async Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM cdnproxy_jobs WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var (selection, parameters) = Selection(query);
        parameters.Add(("offset", (long)query.Offset));
        return QueryAsync($"SELECT {Columns} {selection} OFFSET @offset", parameters, cancellationToken);
    }

    public async Task<int> CountAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var (selection, parameters) = Selection(query);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, $"SELECT COUNT(*) FROM (SELECT 1 {selection}) AS windowed", parameters);
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The FROM … LIMIT part of a list query, and its parameters.</summary>
    private static (string Sql, List<(string, object?)> Parameters) Selection(JobQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<(string, object?)> { ("owner", query.Owner), ("limit", (long)query.Limit) };
        var kinds = Placeholders("kind", query.Kinds, parameters);
        var status = query.Status is null ? string.Empty : " AND status = @status";
        if (query.Status is { } wanted)
        {
            parameters.Add(("status", JobStatusNames.Name(wanted)));
        }

        var after = string.Empty;
        if (query.After is { } last)
        {
            // The same (created, id) order as ORDER BY, so a batch starts exactly where the one before it ended.
            var beyond = query.Newest ? "<" : ">";
            after = $" AND (created {beyond} @after_created OR (created = @after_created AND id {beyond} @after_id))";
            parameters.Add(("after_created", Millis(last.Created)));
            parameters.Add(("after_id", last.Id));
        }

        var order = query.Newest ? "DESC" : "ASC";
        return ($"FROM cdnproxy_jobs WHERE owner = @owner AND kind IN ({kinds}){status}{after} ORDER BY created {order}, id {order} LIMIT @limit", parameters);
    }

    public async Task<int> CountActiveAsync(string owner, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null,
                "SELECT " + ActiveJobsOfOwner, [("owner", owner)]);
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public async Task<JobRecord?> ClaimAsync(string worker, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        (await QueryAsync($"""
            UPDATE cdnproxy_jobs SET status = 'processing', lease_owner = @worker, lease_until = @until, runs = runs + 1, modified = @now
            WHERE id = (SELECT cdnproxy_jobs.id FROM cdnproxy_jobs
                        JOIN (SELECT id, ROW_NUMBER() OVER (PARTITION BY owner ORDER BY created, id) AS turn
                              FROM cdnproxy_jobs WHERE status IN ('pending', 'processing')) AS turns ON turns.id = cdnproxy_jobs.id
                        WHERE status = 'pending' OR (status = 'processing' AND lease_until < @now)
                        ORDER BY turns.turn, created, cdnproxy_jobs.id LIMIT 1 {RowLockClause})
            RETURNING {Columns}
            """, [("worker", worker), ("until", Millis(now + lease)), ("now", Millis(now))], cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<bool> RenewAsync(string id, string worker, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        await NonQueryAsync("UPDATE cdnproxy_jobs SET lease_until = @until WHERE id = @id AND lease_owner = @worker AND status = 'processing'",
            [("until", Millis(leaseUntil)), ("id", id), ("worker", worker)], cancellationToken).ConfigureAwait(false) == 1;

    public async Task<bool> FinishAsync(string id, string worker, JobOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return await NonQueryAsync("""
            UPDATE cdnproxy_jobs SET status = @status, result = @result, error = @error, modified = @now, lease_owner = NULL, lease_until = NULL,
              webhook_due = CASE WHEN webhook = 'pending' THEN @now ELSE NULL END
            WHERE id = @id AND lease_owner = @worker AND status = 'processing'
            """, [("status", JobStatusNames.Name(outcome.Status)), ("result", outcome.Result), ("error", outcome.Error), ("now", Millis(now)), ("id", id), ("worker", worker)],
            cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> CancelAsync(string id, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        await NonQueryAsync("""
            UPDATE cdnproxy_jobs SET status = 'failed', error = @error, modified = @now, lease_owner = NULL, lease_until = NULL,
              webhook_due = CASE WHEN webhook = 'pending' THEN @now ELSE NULL END
            WHERE id = @id AND status IN ('pending', 'processing')
            """, [("error", reason), ("now", Millis(now)), ("id", id)], cancellationToken).ConfigureAwait(false) == 1;

    public async Task<JobRecord?> ClaimWebhookAsync(DateTimeOffset now, TimeSpan lease, IReadOnlyCollection<string> busyOwners, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(busyOwners);
        var parameters = new List<(string, object?)> { ("until", Millis(now + lease)), ("now", Millis(now)) };
        var busy = Placeholders("busy", busyOwners, parameters);
        var notBusy = busy.Length > 0 ? $" AND owner NOT IN ({busy})" : string.Empty;
        return (await QueryAsync($"""
            UPDATE cdnproxy_jobs SET webhook_due = @until
            WHERE id = (SELECT id FROM cdnproxy_jobs
                        WHERE webhook = 'pending' AND webhook_due IS NOT NULL AND webhook_due <= @now{notBusy}
                        ORDER BY webhook_due, id LIMIT 1 {RowLockClause})
            RETURNING {Columns}
            """, parameters, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public Task RecordWebhookAsync(string id, WebhookState state, int attempts, DateTimeOffset? nextDue, CancellationToken cancellationToken) =>
        NonQueryAsync("UPDATE cdnproxy_jobs SET webhook = @state, webhook_attempts = @attempts, webhook_due = @due WHERE id = @id",
            [("state", JobStatusNames.Name(state)), ("attempts", (long)attempts), ("due", nextDue is { } due ? Millis(due) : NullMillis), ("id", id)], cancellationToken);

    public Task PruneAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        NonQueryAsync("DELETE FROM cdnproxy_job_keys WHERE expires <= @now", [("now", Millis(now))], cancellationToken);

    public Task<IReadOnlyList<JobRecord>> ListEndedAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken) =>
        QueryAsync($"""
            SELECT {Columns} FROM cdnproxy_jobs
            WHERE status IN ('complete', 'failed') AND modified < @before AND webhook <> 'pending'
            ORDER BY modified, id LIMIT @limit
            """, [("before", Millis(endedBefore)), ("limit", (long)limit)], cancellationToken);

    public async Task<bool> DeleteEndedAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = await NonQueryAsync(
            "DELETE FROM cdnproxy_jobs WHERE id = @id AND status IN ('complete', 'failed') AND webhook <> 'pending'",
            [("id", id)], cancellationToken).ConfigureAwait(false) == 1;
        if (deleted)
        {
            await NonQueryAsync("DELETE FROM cdnproxy_job_keys WHERE job_id = @id", [("id", id)], cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <summary>One parameter per value (<c>@{prefix}0, @{prefix}1, …</c>) added to <paramref name="parameters"/>; their names, comma-separated.</summary>
    private static string Placeholders(string prefix, IEnumerable<string> values, List<(string, object?)> parameters) =>
        string.Join(", ", values.Select((value, i) =>
        {
            parameters.Add((prefix + i, value));
            return "@" + prefix + i;
        }));

    private async Task<IReadOnlyList<JobRecord>> QueryAsync(string sql, IEnumerable<(string, object?)> parameters, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, sql, parameters);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var jobs = new List<JobRecord>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    jobs.Add(Read(reader));
                }

                return jobs;
            }
        }
    }

    private async Task<int> NonQueryAsync(string sql, IEnumerable<(string, object?)> parameters, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ExecuteAsync(connection, null, sql, parameters, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, IEnumerable<(string, object?)> parameters, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A null for a BIGINT column. An untyped null goes as text, which PostgreSQL refuses for a bigint column: recording
    /// a delivered webhook (no next due time) failed there, so the delivery stayed due and was sent again and again.
    /// </summary>
    private static readonly object NullMillis = new();

#pragma warning disable CA2100 // the SQL is this class's own text; every value travels as a parameter
    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, IEnumerable<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = value is long || ReferenceEquals(value, NullMillis) ? DbType.Int64 : DbType.String;
            parameter.Value = value is null || ReferenceEquals(value, NullMillis) ? DBNull.Value : value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
#pragma warning restore CA2100

    private static JobRecord Read(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Kind = reader.GetString(1),
        Owner = reader.GetString(2),
        Status = JobStatusNames.Parse(reader.GetString(3)),
        Created = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        Modified = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        Request = reader.GetString(6),
        Result = reader.IsDBNull(7) ? null : reader.GetString(7),
        Error = reader.IsDBNull(8) ? null : reader.GetString(8),
        Runs = Convert.ToInt32(reader.GetValue(9), System.Globalization.CultureInfo.InvariantCulture),
        CallbackUrl = reader.IsDBNull(10) ? null : reader.GetString(10),
        Webhook = JobStatusNames.ParseWebhook(reader.GetString(11)),
        WebhookAttempts = Convert.ToInt32(reader.GetValue(12), System.Globalization.CultureInfo.InvariantCulture),
        WebhookDue = reader.IsDBNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)),
    };

    private static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}
