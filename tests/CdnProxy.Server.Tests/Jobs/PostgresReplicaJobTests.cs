using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Tests.Common;
using Npgsql;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// Two real server processes share one PostgreSQL queue and one storage folder. 200 jobs are submitted; one replica
/// is killed (SIGKILL) while it holds jobs. Every job completes, no input is ever fetched by two workers at once,
/// and only the jobs the killed replica held run a second time (after its lease ran out).
/// </summary>
public sealed class PostgresReplicaJobTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private const string Key = "job-replicas-key-0123456789abcdef01234567";
    private const int Jobs = 200;
    private const int WorkersPerReplica = 4;
    private readonly string _data = Directory.CreateTempSubdirectory("cdnproxy-jobs-replicas-").FullName;

    [Fact]
    public async Task TwoReplicasOnOnePostgres_RunEveryJobOnce_AndLoseNoneWhenOneIsKilled()
    {
        var flower = TestImages.Read(TestImages.Flower);
        var fetches = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var inFlight = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var overlapped = 0;

        // Inputs are held until every job is queued: both replicas' workers are then busy and the queue deep, so the
        // victim surely holds jobs while the rest drain (without the gate the survivor, woken by each submission,
        // could keep up with a slow submitter alone and the victim find nothing to claim).
        var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var web = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            var path = context.Request.Path.Value!;
            fetches.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (inFlight.AddOrUpdate(path, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlapped);
            }

            try
            {
                await submitted.Task;

                // Slow enough that the killed replica is caught holding jobs, fast enough for the suite.
                await Task.Delay(40);
                context.Response.ContentType = "image/jpeg";
                await context.Response.Body.WriteAsync(flower);
            }
            finally
            {
                inFlight.AddOrUpdate(path, 0, (_, n) => n - 1);
            }
        });

        var settings = await SettingsAsync();
        using var survivor = await ServerProcess.StartAsync(settings);
        using var victim = await ServerProcess.StartAsync(settings);
        using var http = survivor.ClientWithKey(Key);
        var ids = new List<string>(Jobs);
        for (var i = 0; i < Jobs; i++)
        {
            var body = new JsonObject
            {
                ["input"] = new JsonObject { ["a"] = new Uri(web.BaseUrl, $"job-{i}.jpg").AbsoluteUri },
                ["output"] = new JsonArray(new JsonObject { ["pattern"] = $"t.resize(w:{40 + (i % 50)})", ["type"] = "image/png" }),
                ["data"] = new JsonObject { ["n"] = i },
            }.ToJsonString();
            using var created = await http.PostAsync("/api/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            ids.Add((string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!);
        }

        submitted.SetResult();

        // Kill the victim while it holds leases: some jobs done, its workers busy on others.
        var held = await WaitAsync(async () =>
        {
            var leases = await LeasesAsync(settings);
            return leases.TryGetValue(victim.ProcessId, out var n) && n > 0 && await CountAsync(settings, "complete") >= 20 ? n : 0;
        });
        await victim.KillAsync();

        var finished = await WaitAsync(async () => await CountAsync(settings, "complete") == Jobs ? 1 : 0, TimeSpan.FromSeconds(120));
        Assert.Equal(1, finished);
        Assert.Equal(0, Volatile.Read(ref overlapped));
        Assert.Equal(Jobs, fetches.Count);
        var rerun = await RunsAsync(settings);
        var fetchedTwice = fetches.Count(f => f.Value > 1);

        // A job runs a second time only when the killed replica held it: at most its workers' worth, and exactly the
        // jobs whose input was fetched twice (a job the victim held before fetching is claimed twice, fetched once).
        Assert.InRange(rerun.Count, 1, WorkersPerReplica);
        Assert.True(held >= 1);
        Assert.InRange(fetchedTwice, 0, rerun.Count);
        Assert.All(fetches.Values, n => Assert.InRange(n, 1, 2));

        foreach (var id in ids.Where((_, i) => i % 20 == 0))
        {
            var job = JsonNode.Parse(await http.GetStringAsync("/api/v1/jobs/" + id))!.AsObject();
            Assert.Equal("complete", (string?)job["status"]);
            var output = job["processed"]!["output"]!["a-1"]!;
            using var served = await http.GetAsync(new Uri((string)output["url"]!).PathAndQuery);
            Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
            Assert.Equal((int)output["info"]!["bytes"]!, (await served.Content.ReadAsByteArrayAsync()).Length);
        }
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private async Task<Dictionary<string, string>> SettingsAsync() => new()
    {
        ["CdnProxy:DataDirectory"] = _data,
        ["CdnProxy:Api:Keys:0"] = Key,
        ["CdnProxy:Jobs:Store"] = "postgres",
        ["CdnProxy:Jobs:PostgresConnectionString"] = await postgres.NewDatabaseAsync(),
        ["CdnProxy:Jobs:Workers"] = WorkersPerReplica.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CdnProxy:Jobs:MaxActiveJobsPerKey"] = "1000",
        ["CdnProxy:Jobs:RequestsPerMinute"] = "0",
        ["CdnProxy:Jobs:AllowPrivateNetworks"] = "true",
        // Long enough that a survivor's renewal (every third of it) is never late on a loaded 2-core machine.
        ["CdnProxy:Jobs:LeaseSeconds"] = "5",
        ["CdnProxy:Jobs:PollMilliseconds"] = "100",
    };

    private static async Task<T> QueryAsync<T>(Dictionary<string, string> settings, string sql, Func<NpgsqlDataReader, Task<T>> read)
    {
        await using var connection = new NpgsqlConnection(settings["CdnProxy:Jobs:PostgresConnectionString"]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        return await read(reader);
    }

    private static Task<long> CountAsync(Dictionary<string, string> settings, string status) =>
        QueryAsync(settings, $"SELECT count(*) FROM cdnproxy_jobs WHERE status = '{status}'", async r =>
        {
            await r.ReadAsync();
            return r.GetInt64(0);
        });

    /// <summary>Jobs leased right now, by replica process id (a lease owner is <c>{pid}-{guid}#{worker}</c>).</summary>
    private static Task<Dictionary<int, int>> LeasesAsync(Dictionary<string, string> settings) =>
        QueryAsync(settings, "SELECT lease_owner FROM cdnproxy_jobs WHERE status = 'processing' AND lease_owner IS NOT NULL", async r =>
        {
            var owners = new List<string>();
            while (await r.ReadAsync())
            {
                owners.Add(r.GetString(0));
            }

            return owners.GroupBy(ReplicaProcess).ToDictionary(g => g.Key, g => g.Count());
        });

    private static Task<List<string>> RunsAsync(Dictionary<string, string> settings) =>
        QueryAsync(settings, "SELECT id FROM cdnproxy_jobs WHERE runs > 1", async r =>
        {
            var ids = new List<string>();
            while (await r.ReadAsync())
            {
                ids.Add(r.GetString(0));
            }

            return ids;
        });

    private static int ReplicaProcess(string leaseOwner) =>
        int.Parse(leaseOwner.AsSpan(0, leaseOwner.IndexOf('-', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<int> WaitAsync(Func<Task<int>> probe, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is var value and > 0)
            {
                return value;
            }

            await Task.Delay(20);
        }

        return 0;
    }
}
