using System.Collections.Concurrent;
using CdnProxy.Core.Jobs;
using CdnProxy.Server.Jobs.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>What every job store must do, run against the embedded SQLite file and a real PostgreSQL.</summary>
public abstract class JobStoreContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    protected abstract Task<IJobStore> NewStoreAsync();

    internal static JobRecord Job(string id, DateTimeOffset created, string owner = "key:a", string? callback = null) => new()
    {
        Id = id,
        Kind = "test",
        Owner = owner,
        Created = created,
        Modified = created,
        Request = "{\"n\":\"" + id + "\"}",
        CallbackUrl = callback,
    };

    [Fact]
    public async Task Claims_LeaseEachJobOnce_InCreationOrder_AndAnExpiredLeaseIsClaimedAgain()
    {
        var store = await NewStoreAsync();
        await store.CreateAsync(Job("b", T0.AddSeconds(1)), null, null, T0, default);
        await store.CreateAsync(Job("a", T0), null, null, T0, default);

        var first = await store.ClaimAsync("w1", T0, TimeSpan.FromSeconds(30), default);
        var second = await store.ClaimAsync("w2", T0, TimeSpan.FromSeconds(30), default);
        var none = await store.ClaimAsync("w3", T0.AddSeconds(29), TimeSpan.FromSeconds(30), default);
        var renewed = await store.RenewAsync("b", "w2", T0.AddSeconds(90), default);
        var takenOver = await store.ClaimAsync("w3", T0.AddSeconds(31), TimeSpan.FromSeconds(30), default);

        Assert.Equal(("a", "b"), (first?.Id, second?.Id));
        Assert.Equal((JobStatus.Processing, 1), (first!.Status, first.Runs));
        Assert.Null(none);
        Assert.True(renewed);
        Assert.Equal(("a", 2), (takenOver?.Id, takenOver?.Runs));
        Assert.False(await store.FinishAsync("a", "w1", JobOutcome.Complete("{\"by\":1}"), T0.AddSeconds(32), default));
        Assert.False(await store.RenewAsync("a", "w1", T0.AddSeconds(60), default));
        Assert.True(await store.FinishAsync("a", "w3", JobOutcome.Complete("{\"by\":3}"), T0.AddSeconds(33), default));
        var done = await store.GetAsync("a", default);
        Assert.Equal((JobStatus.Complete, "{\"by\":3}"), (done!.Status, done.Result));
    }

    [Fact]
    public async Task Claims_TakeTheKeysInTurn_AKeysManyJobsDoNotHoldBackAnothersOne()
    {
        var store = await NewStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.CreateAsync(Job("a" + i, T0.AddSeconds(i)), null, null, T0, default);
        }

        await store.CreateAsync(Job("b0", T0.AddSeconds(10), owner: "key:b"), null, null, T0, default);
        await store.CreateAsync(Job("c0", T0.AddSeconds(11), owner: "key:c"), null, null, T0, default);
        var first = await store.ClaimAsync("w1", T0.AddSeconds(20), TimeSpan.FromSeconds(30), default);
        var second = await store.ClaimAsync("w2", T0.AddSeconds(20), TimeSpan.FromSeconds(30), default);
        await store.FinishAsync("a0", "w1", JobOutcome.Complete("{}"), T0.AddSeconds(21), default);
        var third = await store.ClaimAsync("w1", T0.AddSeconds(21), TimeSpan.FromSeconds(30), default);
        var fourth = await store.ClaimAsync("w3", T0.AddSeconds(21), TimeSpan.FromSeconds(30), default);

        // In creation order b0 and c0 waited for all five of key:a's jobs.
        Assert.Equal(("a0", "b0", "a1", "c0"), (first?.Id, second?.Id, third?.Id, fourth?.Id));
    }

    [Fact]
    public async Task IdempotencyKeys_AreKeptPerOwnerUntilTheyExpire()
    {
        var store = await NewStoreAsync();
        Assert.True(await store.CreateAsync(Job("j1", T0), "k", "h1", T0.AddHours(24), default));
        Assert.False(await store.CreateAsync(Job("j2", T0), "k", "h2", T0.AddHours(24), default));
        Assert.True(await store.CreateAsync(Job("j3", T0, owner: "key:b"), "k", "h3", T0.AddHours(24), default));

        Assert.Equal(new IdempotentCall("h1", "j1"), await store.FindIdempotentAsync("key:a", "k", T0.AddHours(1), default));
        Assert.Null(await store.FindIdempotentAsync("key:a", "k", T0.AddHours(25), default));
        Assert.Null(await store.GetAsync("j2", default));
        Assert.True(await store.CreateAsync(Job("j4", T0.AddHours(25)), "k", "h4", T0.AddHours(49), default));
    }

    [Fact]
    public async Task Cancel_FailsAJobNotEnded_AndItsWorkerCanNoLongerFinishIt()
    {
        var store = await NewStoreAsync();
        await store.CreateAsync(Job("c", T0, callback: "http://127.0.0.1/hook"), null, null, T0, default);
        await store.ClaimAsync("w", T0, TimeSpan.FromSeconds(30), default);

        Assert.Equal(1, await store.CountActiveAsync("key:a", default));
        Assert.True(await store.CancelAsync("c", "cancelled", T0.AddSeconds(1), default));
        Assert.False(await store.CancelAsync("c", "cancelled", T0.AddSeconds(2), default));
        Assert.False(await store.FinishAsync("c", "w", JobOutcome.Complete("{}"), T0.AddSeconds(3), default));
        var job = await store.GetAsync("c", default);
        Assert.Equal((JobStatus.Failed, "cancelled", WebhookState.Pending), (job!.Status, job.Error, job.Webhook));
        Assert.Equal(0, await store.CountActiveAsync("key:a", default));
        Assert.Equal("c", (await store.ClaimWebhookAsync(T0.AddSeconds(1), TimeSpan.FromSeconds(30), [], default))?.Id);
    }

    [Fact]
    public async Task AWebhookRecordedDelivered_IsNoLongerDue()
    {
        var store = await NewStoreAsync();
        await store.CreateAsync(Job("d", T0, callback: "http://127.0.0.1/hook"), null, null, T0, default);
        await store.ClaimAsync("w", T0, TimeSpan.FromSeconds(30), default);
        await store.FinishAsync("d", "w", JobOutcome.Complete("{}"), T0, default);

        var due = await store.ClaimWebhookAsync(T0, TimeSpan.FromSeconds(30), [], default);
        await store.RecordWebhookAsync("d", WebhookState.Delivered, 1, null, default);

        Assert.Equal("d", due?.Id);
        Assert.Equal(WebhookState.Delivered, (await store.GetAsync("d", default))!.Webhook);
        Assert.Null(await store.ClaimWebhookAsync(T0.AddHours(1), TimeSpan.FromSeconds(30), [], default));
    }

    [Fact]
    public async Task AWebhookClaim_SkipsTheBusyOwners()
    {
        var store = await NewStoreAsync();
        foreach (var (id, owner) in new[] { ("a1", "key:a"), ("b1", "key:b") }) // a1 is due first
        {
            await store.CreateAsync(Job(id, T0, owner, callback: "http://127.0.0.1/hook"), null, null, T0, default);
            await store.ClaimAsync("w", T0, TimeSpan.FromSeconds(30), default);
            await store.FinishAsync(id, "w", JobOutcome.Complete("{}"), T0, default);
        }

        var claimed = await store.ClaimWebhookAsync(T0.AddSeconds(1), TimeSpan.FromSeconds(30), ["key:a", "key:c"], default);
        var none = await store.ClaimWebhookAsync(T0.AddSeconds(1), TimeSpan.FromSeconds(30), ["key:a", "key:b"], default);

        Assert.Equal("b1", claimed?.Id);
        Assert.Null(none);
    }

    [Fact]
    public async Task List_SelectsAnOwnersJobs_ByStatus_NewestFirst()
    {
        var store = await NewStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.CreateAsync(Job("l" + i, T0.AddSeconds(i)), null, null, T0, default);
        }

        await store.CreateAsync(Job("other", T0, owner: "key:b"), null, null, T0, default);
        await store.ClaimAsync("w", T0, TimeSpan.FromSeconds(30), default);
        await store.FinishAsync("l0", "w", JobOutcome.Complete("{}"), T0, default);

        var newest = await store.ListAsync(new JobQuery("key:a", ["test"], null, Newest: true, Limit: 3), default);
        var complete = await store.ListAsync(new JobQuery("key:a", ["test"], JobStatus.Complete, Newest: false, Limit: 10), default);

        Assert.Equal(["l4", "l3", "l2"], newest.Select(j => j.Id));
        Assert.Equal(["l0"], complete.Select(j => j.Id));

        // A page the store reads alone, and the window's count (at most its limit).
        var page = await store.ListAsync(new JobQuery("key:a", ["test"], null, Newest: true, Limit: 2, Offset: 1), default);
        Assert.Equal(["l3", "l2"], page.Select(j => j.Id));
        Assert.Equal(
            (5, 3, 1, 0),
            (await store.CountAsync(new JobQuery("key:a", ["test"], null, true, 10), default),
             await store.CountAsync(new JobQuery("key:a", ["test"], null, true, 3), default),
             await store.CountAsync(new JobQuery("key:a", ["test"], JobStatus.Complete, false, 10), default),
             await store.CountAsync(new JobQuery("key:c", ["test"], null, true, 10), default)));
    }

    [Fact]
    public async Task List_AfterAJob_ContinuesTheOrderWhereItStopped_TiesBrokenById_InBothDirections()
    {
        var store = await NewStoreAsync();
        foreach (var (id, second) in new[] { ("a", 0), ("c", 1), ("b", 1), ("d", 2) })
        {
            await store.CreateAsync(Job(id, T0.AddSeconds(second)), null, null, T0, default);
        }

        async Task<string[]> ReadInBatchesAsync(bool newest)
        {
            var read = new List<JobRecord>();
            while (true)
            {
                var batch = await store.ListAsync(new JobQuery("key:a", ["test"], null, newest, Limit: 2, After: read.LastOrDefault()), default);
                if (batch.Count == 0)
                {
                    return [.. read.Select(j => j.Id)];
                }

                read.AddRange(batch);
                if (read.Count == 2)
                {
                    // Created while the batches are read: newest first, it comes before the cursor and is not seen.
                    await store.CreateAsync(Job("late-" + newest, T0.AddSeconds(newest ? 9 : 10)), null, null, T0, default);
                }
            }
        }

        Assert.Equal(["d", "c", "b", "a"], await ReadInBatchesAsync(newest: true));
        Assert.Equal(["a", "b", "c", "d", "late-True", "late-False"], await ReadInBatchesAsync(newest: false));
    }

    [Fact]
    public async Task EndedJobs_AreListedLongestEndedFirst_AndForgottenWithTheirKeys_NeverOnesRunningOrOwingAWebhook()
    {
        var store = await NewStoreAsync();
        await store.CreateAsync(Job("old", T0), "key-old", "h", T0.AddDays(30), default);
        await store.CreateAsync(Job("older", T0), null, null, T0, default);
        await store.CreateAsync(Job("hook", T0, callback: "http://127.0.0.1/hook"), null, null, T0, default);
        await store.CreateAsync(Job("recent", T0), null, null, T0, default);
        await store.CreateAsync(Job("running", T0), null, null, T0, default);
        foreach (var _ in Enumerable.Range(0, 5))
        {
            await store.ClaimAsync("w", T0, TimeSpan.FromDays(10), default);
        }

        await store.FinishAsync("older", "w", JobOutcome.Complete("{}"), T0.AddHours(1), default);
        await store.FinishAsync("old", "w", JobOutcome.Failed("no"), T0.AddHours(2), default);
        await store.FinishAsync("hook", "w", JobOutcome.Complete("{}"), T0.AddHours(1), default); // its webhook is due
        await store.FinishAsync("recent", "w", JobOutcome.Complete("{}"), T0.AddDays(3), default);

        var ended = await store.ListEndedAsync(T0.AddDays(1), 10, default);
        var limited = await store.ListEndedAsync(T0.AddDays(1), 1, default);

        Assert.Equal(["older", "old"], ended.Select(j => j.Id));
        Assert.Equal(["older"], limited.Select(j => j.Id));
        Assert.True(await store.DeleteEndedAsync("old", default));
        Assert.False(await store.DeleteEndedAsync("old", default));
        Assert.False(await store.DeleteEndedAsync("running", default));
        Assert.False(await store.DeleteEndedAsync("hook", default));
        Assert.Null(await store.GetAsync("old", default));
        Assert.Null(await store.FindIdempotentAsync("key:a", "key-old", T0.AddDays(1), default));
        Assert.NotNull(await store.GetAsync("running", default));
        await store.RecordWebhookAsync("hook", WebhookState.Delivered, 1, null, default);
        Assert.Equal(["hook", "older"], (await store.ListEndedAsync(T0.AddDays(1), 10, default)).Select(j => j.Id)); // ended together: by id
    }

    /// <summary>
    /// 200 jobs, two runners of four workers sharing the store; one runner is stopped mid-run (its jobs abandoned
    /// without finishing, as when a replica is killed): the other finishes them after their leases end. Every job
    /// completes with the result of a run that ran to its end, and no claim was ever run by two workers (a job runs
    /// again only after a lease ended: under heavy load a renewal can come late, and the late run's result is then
    /// discarded, never kept twice).
    /// </summary>
    [Fact]
    public async Task TwoRunners_OneStoppedMidRun_EveryJobCompletesExactlyOnce()
    {
        var store = await NewStoreAsync();
        for (var i = 0; i < 200; i++)
        {
            await store.CreateAsync(Job($"job{i:000}", T0.AddMilliseconds(i)), null, null, T0, default);
        }

        var handler = new CountingHandler();
        // The stopped runner's handler hangs from its 30th job on, so that runner surely holds jobs when it is stopped.
        var doomedHandler = new CountingHandler(handler, hangAfter: 30);
        var options = new JobRunnerOptions { Workers = 4, Lease = TimeSpan.FromSeconds(2), PollInterval = TimeSpan.FromMilliseconds(50) };
        using var survivor = new JobRunner(store, [handler], options, TimeProvider.System, NullLogger<JobRunner>.Instance);
        using var doomed = new JobRunner(store, [doomedHandler], options, TimeProvider.System, NullLogger<JobRunner>.Instance);
        using var stopSurvivor = new CancellationTokenSource();
        using var stopDoomed = new CancellationTokenSource();
        var survivorRun = survivor.RunAsync(stopSurvivor.Token);
        var doomedRun = doomed.RunAsync(stopDoomed.Token);

        await doomedHandler.Hanging.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await stopDoomed.CancelAsync();
        await doomedRun;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while ((await store.ListAsync(new JobQuery("key:a", ["test"], JobStatus.Complete, false, 1000), default)).Count < 200 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await stopSurvivor.CancelAsync();
        await survivorRun;

        var jobs = await store.ListAsync(new JobQuery("key:a", ["test"], null, false, 1000), default);
        Assert.Equal(200, jobs.Count(j => j.Status == JobStatus.Complete));
        Assert.All(jobs, j => Assert.InRange(handler.Finished.GetValueOrDefault(j.Id), 1, j.Runs));
        Assert.All(jobs, j => Assert.Contains(j.Result, handler.Results[j.Id]));
        Assert.Contains(jobs, j => j.Runs > 1); // the stopped runner's jobs were claimed again
    }

    /// <summary>
    /// The bound on an owner's jobs in flight holds for submissions arriving together (counted, then inserted, every
    /// one of a burst passed the same count); a job that ended frees its place, and another owner is not counted.
    /// </summary>
    [Fact]
    public async Task CreateWithin_ConcurrentCreations_NeverPassTheOwnersBound()
    {
        var store = await NewStoreAsync();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            store.CreateWithinAsync(Job($"burst{i:00}", T0.AddMilliseconds(i)), 3, null, null, T0, default))));

        Assert.Equal(3, outcomes.Count(o => o == JobCreation.Created));
        Assert.Equal(17, outcomes.Count(o => o == JobCreation.TooManyActive));
        Assert.Equal(3, await store.CountActiveAsync("key:a", default));

        var claimed = await store.ClaimAsync("w", T0, TimeSpan.FromSeconds(30), default);
        await store.FinishAsync(claimed!.Id, "w", JobOutcome.Complete("{}"), T0, default);
        Assert.Equal(JobCreation.Created, await store.CreateWithinAsync(Job("freed", T0.AddSeconds(1)), 3, "key-1", "h", T0.AddHours(1), default));
        Assert.Equal(JobCreation.TooManyActive, await store.CreateWithinAsync(Job("over", T0.AddSeconds(2)), 3, "key-2", "h", T0.AddHours(1), default));
        Assert.Null(await store.FindIdempotentAsync("key:a", "key-2", T0, default)); // a refused job keeps no idempotency key
        Assert.Equal(JobCreation.Created, await store.CreateWithinAsync(Job("other", T0, owner: "key:b"), 3, null, null, T0, default));
    }

    /// <summary>Runs a job in 15 ms; one made with <c>hangAfter</c> shares another's counts and, once it has finished that
    /// many jobs, hangs on every further one until cancelled.</summary>
    private sealed class CountingHandler : IJobHandler
    {
        private readonly int _hangAfter = int.MaxValue;
        private int _started;

        public CountingHandler()
        {
        }

        public CountingHandler(CountingHandler shared, int hangAfter)
        {
            Finished = shared.Finished;
            Results = shared.Results;
            _hangAfter = hangAfter;
        }

        public ConcurrentDictionary<string, int> Finished { get; } = new();

        public ConcurrentDictionary<string, ConcurrentBag<string>> Results { get; } = new();

        public TaskCompletionSource Hanging { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Kind => "test";

        public async Task<JobOutcome> RunAsync(JobRecord job, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _started) > _hangAfter)
            {
                Hanging.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            await Task.Delay(15, cancellationToken);
            Finished.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
            var result = $"{{\"job\":\"{job.Id}\",\"run\":\"{Guid.NewGuid():N}\"}}";
            Results.GetOrAdd(job.Id, _ => new ConcurrentBag<string>()).Add(result);
            return JobOutcome.Complete(result);
        }
    }
}

public sealed class SqliteJobStoreTests : JobStoreContractTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cdnproxy-jobs-").FullName;

    protected override async Task<IJobStore> NewStoreAsync()
    {
        var store = new SqliteJobStore(Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db"));
        await store.InitializeAsync(default);
        return store;
    }

    [Fact]
    public async Task Jobs_SurviveReopeningTheFile()
    {
        var path = Path.Combine(_folder, "reopen.db");
        var first = new SqliteJobStore(path);
        await first.InitializeAsync(default);
        await first.CreateAsync(Job("kept", DateTimeOffset.UnixEpoch), null, null, DateTimeOffset.UnixEpoch, default);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var second = new SqliteJobStore(path);
        await second.InitializeAsync(default);
        Assert.Equal(JobStatus.Pending, (await second.GetAsync("kept", default))?.Status);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class PostgresJobStoreTests(PostgresFixture postgres) : JobStoreContractTests, IClassFixture<PostgresFixture>
{
    protected override async Task<IJobStore> NewStoreAsync()
    {
        var store = new PostgresJobStore(await postgres.NewDatabaseAsync());
        await store.InitializeAsync(default);
        return store;
    }

    [Fact]
    public async Task ReplicasStartingTogether_AllCreateTheSchemaWithoutFailing()
    {
        var database = await postgres.NewDatabaseAsync();
        var stores = Enumerable.Range(0, 8).Select(_ => new PostgresJobStore(database)).ToList();
        try
        {
            // Without the schema lock, concurrent CREATE TABLE IF NOT EXISTS fails with a unique violation in pg_type.
            await Task.WhenAll(stores.Select(s => s.InitializeAsync(default)));
            Assert.Equal(0, await stores[^1].CountActiveAsync("nobody", default));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }
}
