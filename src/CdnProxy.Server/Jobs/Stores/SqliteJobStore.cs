using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CdnProxy.Server.Jobs.Stores;

/// <summary>
/// The embedded default: one SQLite file (<c>{Jobs:DataDirectory}/jobs.db</c>) in WAL mode, so jobs survive a restart
/// with nothing installed. One process only: replicas share PostgreSQL instead.
/// </summary>
public sealed class SqliteJobStore(string path) : SqlJobStore
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = 30, // waits this long for another connection's write lock (busy timeout)
    }.ToString();

    protected override string RowLockClause => string.Empty;

    protected override string BigIntType => "INTEGER";

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
