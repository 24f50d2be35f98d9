using CdnProxy.Core.Jobs;
using CdnProxy.Server.Jobs.Stores;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>The job runner on a real SQLite store: jobs end, whatever happens to the workers running them.</summary>
public sealed class JobRunnerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("cdnproxy-runner-").FullName;

    /// <summary>
    /// A job whose every run ends with its worker gone (an input that takes the process down, say) was claimed again
    /// each time its lease ended, forever: never failed, never its webhook, and every replica taken down in turn.
    /// </summary>
    [Fact]
    public async Task AJobInterruptedMaxRunsTimes_IsFailedAtTheNextClaim_WithoutRunningItAgain()
    {
        var store = await NewStoreAsync();
        await store.CreateAsync(JobStoreContractTests.Job("poison", T0, callback: "https://hooks.example.com/in"), null, null, T0, default);
        var lease = TimeSpan.FromSeconds(30);
        var options = new JobRunnerOptions { Lease = lease };
        var now = T0;
        for (var run = 0; run < options.MaxRuns; run++)
        {
            // Each run's worker claims the job and dies with it: its lease simply runs out.
            Assert.NotNull(await store.ClaimAsync("doomed", now, lease, default));
            now += lease + TimeSpan.FromSeconds(1);
        }

        var handler = new CountingHandler();
        using var runner = new JobRunner(store, [handler], options, new FixedTime(now), NullLogger<JobRunner>.Instance);

        Assert.True(await runner.RunOneAsync("survivor", default));

        var job = await store.GetAsync("poison", default);
        Assert.Equal(0, handler.Runs);
        Assert.Equal(JobStatus.Failed, job!.Status);
        Assert.Equal($"The job was interrupted {options.MaxRuns} times before it could finish", job.Error);
        Assert.Equal(now, job.WebhookDue); // its webhook is due at once
    }

    [Fact]
    public async Task AJobInterruptedFewerTimes_RunsAgain()
    {
        var store = await NewStoreAsync();
        await store.CreateAsync(JobStoreContractTests.Job("retried", T0), null, null, T0, default);
        var options = new JobRunnerOptions();
        var now = T0;
        for (var run = 0; run < options.MaxRuns - 1; run++)
        {
            Assert.NotNull(await store.ClaimAsync("doomed", now, options.Lease, default));
            now += options.Lease + TimeSpan.FromSeconds(1);
        }

        var handler = new CountingHandler();
        using var runner = new JobRunner(store, [handler], options, new FixedTime(now), NullLogger<JobRunner>.Instance);

        Assert.True(await runner.RunOneAsync("survivor", default));

        Assert.Equal(1, handler.Runs);
        Assert.Equal(JobStatus.Complete, (await store.GetAsync("retried", default))!.Status);
    }

    /// <summary>
    /// One renewal that failed (the store busy for a moment) ended the renewals for good: the lease ran out while the
    /// job still ran, another worker claimed it and ran it a second time, and the first run's result was discarded.
    /// </summary>
    [Fact]
    public async Task OneFailedRenewal_IsRetriedAtTheNextTick_SoNoOtherWorkerTakesTheJob()
    {
        // On a fake clock: the renewals' ticks and the lease are the runner's time, not the machine's load.
        var clock = new FakeTimeProvider(T0);
        var inner = await NewStoreAsync();
        var store = new FirstRenewalFails(inner);
        await store.CreateAsync(JobStoreContractTests.Job("long", T0), null, null, T0, default);
        var options = new JobRunnerOptions { Lease = TimeSpan.FromSeconds(30) };
        var handler = new HeldHandler();
        using var first = new JobRunner(store, [handler], options, clock, NullLogger<JobRunner>.Instance);

        var running = first.RunOneAsync("first", default);
        await handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // Renewals every 10 s of the runner's clock: the first fails, the second must still come before the lease the
        // claim gave ends (T0 + 30 s). The clock goes a second at a time, so a renewal loop that starts late still ticks.
        while (store.Renewals < 2 && clock.GetUtcNow() < T0 + TimeSpan.FromSeconds(29))
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        await WhileAsync(() => store.Renewals < 2);
        // Past the lease the claim gave, within the renewed one.
        clock.AdjustTime(T0 + TimeSpan.FromSeconds(31));
        var takenByAnother = await inner.ClaimAsync("second", clock.GetUtcNow(), options.Lease, default);
        handler.Release.SetResult();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(takenByAnother);
        var job = await inner.GetAsync("long", default);
        Assert.Equal((JobStatus.Complete, 1), (job!.Status, job.Runs));
    }

    /// <summary>Waits (10 s at most) while <paramref name="condition"/> holds; what it waited for is asserted after.</summary>
    private static async Task WhileAsync(Func<bool> condition)
    {
        for (var waited = 0; condition() && waited < 10_000; waited += 10)
        {
            await Task.Delay(10);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<IJobStore> NewStoreAsync()
    {
        var store = new SqliteJobStore(Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db"));
        await store.InitializeAsync(default);
        return store;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class CountingHandler(TimeSpan? takes = null) : IJobHandler
    {
        private int _runs;

        public int Runs => _runs;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Kind => "test";

        public async Task<JobOutcome> RunAsync(JobRecord job, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            Started.TrySetResult();
            if (takes is { } time)
            {
                await Task.Delay(time, cancellationToken);
            }

            return JobOutcome.Complete("{}");
        }
    }

    /// <summary>A job that runs until the test releases it.</summary>
    private sealed class HeldHandler : IJobHandler
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Kind => "test";

        public async Task<JobOutcome> RunAsync(JobRecord job, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            return JobOutcome.Complete("{}");
        }
    }

    /// <summary>The store, but its first lease renewal fails as a busy database would.</summary>
    private sealed class FirstRenewalFails(IJobStore inner) : IJobStore
    {
        private int _renewals;

        public int Renewals => Volatile.Read(ref _renewals);

        public Task<bool> RenewAsync(string id, string worker, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _renewals) == 1
                ? throw new InvalidOperationException("database is locked")
                : inner.RenewAsync(id, worker, leaseUntil, cancellationToken);

        public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

        public Task<JobCreation> CreateWithinAsync(JobRecord job, int maxActive, string? idempotencyKey, string? bodyHash, DateTimeOffset idempotencyExpires, CancellationToken cancellationToken) =>
            inner.CreateWithinAsync(job, maxActive, idempotencyKey, bodyHash, idempotencyExpires, cancellationToken);

        public Task<IdempotentCall?> FindIdempotentAsync(string owner, string idempotencyKey, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.FindIdempotentAsync(owner, idempotencyKey, now, cancellationToken);

        public Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

        public Task<int> CountAsync(JobQuery query, CancellationToken cancellationToken) => inner.CountAsync(query, cancellationToken);

        public Task<int> CountActiveAsync(string owner, CancellationToken cancellationToken) => inner.CountActiveAsync(owner, cancellationToken);

        public Task<JobRecord?> ClaimAsync(string worker, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
            inner.ClaimAsync(worker, now, lease, cancellationToken);

        public Task<bool> FinishAsync(string id, string worker, JobOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.FinishAsync(id, worker, outcome, now, cancellationToken);

        public Task<bool> CancelAsync(string id, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.CancelAsync(id, reason, now, cancellationToken);

        public Task<JobRecord?> ClaimWebhookAsync(DateTimeOffset now, TimeSpan lease, IReadOnlyCollection<string> busyOwners, CancellationToken cancellationToken) =>
            inner.ClaimWebhookAsync(now, lease, busyOwners, cancellationToken);

        public Task RecordWebhookAsync(string id, WebhookState state, int attempts, DateTimeOffset? nextDue, CancellationToken cancellationToken) =>
            inner.RecordWebhookAsync(id, state, attempts, nextDue, cancellationToken);

        public Task PruneAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.PruneAsync(now, cancellationToken);

        public Task<IReadOnlyList<JobRecord>> ListEndedAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken) =>
            inner.ListEndedAsync(endedBefore, limit, cancellationToken);

        public Task<bool> DeleteEndedAsync(string id, CancellationToken cancellationToken) => inner.DeleteEndedAsync(id, cancellationToken);
    }
}
