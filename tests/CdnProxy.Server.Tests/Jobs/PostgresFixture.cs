using System.Diagnostics;
using CdnProxy.Tests.Common;
using Npgsql;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// A real PostgreSQL (Debian's <c>postgresql</c>, installed by scripts/setup.sh --for-tests) in a temporary cluster on a
/// free loopback port, run as a non-root user (the <c>postgres</c> account when the tests run as root, as in CI).
/// Each test class gets its own database.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cdnproxy-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _server;
    private int _databases;

    public int Port { get; private set; }

    /// <summary>A connection string to a fresh, empty database.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = $"jobs{Interlocked.Increment(ref _databases)}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    public async Task InitializeAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed: run scripts/setup.sh --for-tests");
        Directory.CreateDirectory(_data);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", _data]);
        }

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", _data, "-U", "cdnproxy", "--auth=trust", "-E", "UTF8", "--no-sync"], asRoot);
        Port = LoopbackPorts.Next();
        var start = Start(Path.Combine(bin, "postgres"),
            ["-D", _data, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", _data, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"], asRoot);
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        _server = Process.Start(start)!;
        _ = _server.StandardError.ReadToEndAsync();
        _ = _server.StandardOutput.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline && !_server.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is { HasExited: false })
        {
            _server.Kill();
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=cdnproxy;Database={database};Pooling=true;Maximum Pool Size=50;Timeout=10";

    private static ProcessStartInfo Start(string file, string[] arguments, bool asPostgres) =>
        asPostgres ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. arguments]) : new ProcessStartInfo(file, arguments);

    private static async Task RunAsync(string file, string[] arguments, bool asPostgres = false)
    {
        var start = Start(file, arguments, asPostgres);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {await errors}");
        }
    }

}
