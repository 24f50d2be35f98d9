using System.Data.Common;
using Npgsql;

namespace CdnProxy.Server.Jobs.Stores;

/// <summary>
/// The scaled-out store: every replica shares one PostgreSQL database; claims take the row with
/// <c>FOR UPDATE SKIP LOCKED</c>, so replicas never wait on each other's claims nor lease one job twice.
/// </summary>
public sealed class PostgresJobStore : SqlJobStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    public PostgresJobStore(string connectionString)
    {
        _source = NpgsqlDataSource.Create(connectionString);
    }

    protected override string RowLockClause => "FOR UPDATE OF cdnproxy_jobs SKIP LOCKED";

    protected override string BigIntType => "BIGINT";

    /// <summary>One transaction-scoped advisory lock (an arbitrary constant naming "the jobs schema") serialises replicas' start-up DDL.</summary>
    protected override string SchemaLock => "SELECT pg_advisory_xact_lock(4242170001)";

    /// <summary>An owner's creations one at a time (a transaction-scoped lock on a hash of the owner), so their bound holds.</summary>
    protected override string OwnerLock => "SELECT pg_advisory_xact_lock(hashtext(@owner))";

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
