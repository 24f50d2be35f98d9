using Microsoft.Extensions.Logging;

namespace CdnProxy.Core.Jobs;

/// <summary>
/// The workers of one replica: each claims a job (a lease in the shared store), runs its kind's handler while renewing
/// the lease at a third of its length, and finishes it only if the lease is still its own. A worker that stops
/// mid-job (the process killed) simply stops renewing; another replica claims the job when the lease has ended.
/// </summary>
public sealed class JobRunner : IDisposable
{
    private readonly IJobStore _store;
    private readonly Dictionary<string, IJobHandler> _handlers;
    private readonly JobRunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<JobRunner> _logger;
    private readonly SemaphoreSlim _wake = new(0);

    public JobRunner(IJobStore store, IEnumerable<IJobHandler> handlers, JobRunnerOptions options, TimeProvider time, ILogger<JobRunner> logger)
    {
        _store = store;
        _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
        _options = options;
        _time = time;
        _logger = logger;
        Name = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
    }

    public void Dispose() => _wake.Dispose();

    /// <summary>This replica's worker name prefix in leases.</summary>
    public string Name { get; }

    /// <summary>Wakes an idle worker (a job was just created here).</summary>
    public void Nudge() => _wake.Release();

    /// <summary>Runs <see cref="JobRunnerOptions.Workers"/> worker loops until stopped.</summary>
    public Task RunAsync(CancellationToken stopping) =>
        Task.WhenAll(Enumerable.Range(0, _options.Workers).Select(i => WorkerLoopAsync($"{Name}#{i}", stopping)));

    private async Task WorkerLoopAsync(string worker, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            bool ran;
            try
            {
                ran = await RunOneAsync(worker, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a store outage must not end the worker: it retries after the poll interval
            catch (Exception e)
#pragma warning restore CA1031
            {
                JobLog.JobStoreFailed(_logger, e);
                ran = false;
            }

            if (!ran)
            {
                using var poll = new CancellationTokenSource(_options.PollInterval, _time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(poll.Token, stopping);
                try
                {
                    await _wake.WaitAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    // The poll interval passed: look again.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims and runs one job; false when there was none to claim.</summary>
    public async Task<bool> RunOneAsync(string worker, CancellationToken stopping)
    {
        var job = await _store.ClaimAsync(worker, _time.GetUtcNow(), _options.Lease, stopping).ConfigureAwait(false);
        if (job is null)
        {
            return false;
        }

        using var run = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        run.CancelAfter(_options.JobTimeout);
        var renewal = RenewWhileRunningAsync(job.Id, worker, run);
        JobOutcome outcome;
        try
        {
            outcome = job.Runs > _options.MaxRuns
                ? JobOutcome.Failed($"The job was interrupted {job.Runs - 1} times before it could finish")
                : _handlers.TryGetValue(job.Kind, out var handler)
                ? await handler.RunAsync(job, run.Token).ConfigureAwait(false)
                : JobOutcome.Failed("This server has no handler for the job's kind");
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and another replica (or this one after a restart) runs the job.
            await run.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException)
        {
            outcome = JobOutcome.Failed("The job ran out of time or was cancelled");
        }
#pragma warning disable CA1031 // a handler bug fails its job, never the worker
        catch (Exception e)
#pragma warning restore CA1031
        {
            JobLog.JobFailed(_logger, job.Id, e);
            outcome = JobOutcome.Failed("The job failed");
        }

        await run.CancelAsync().ConfigureAwait(false);
        await renewal.ConfigureAwait(false);
        if (!await _store.FinishAsync(job.Id, worker, outcome, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false))
        {
            JobLog.JobLeaseLost(_logger, job.Id);
        }

        return true;
    }

    private async Task RenewWhileRunningAsync(string id, string worker, CancellationTokenSource run)
    {
        var every = _options.Lease / 3;
        while (!run.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _time, run.Token).ConfigureAwait(false);
                if (!await _store.RenewAsync(id, worker, _time.GetUtcNow() + _options.Lease, run.Token).ConfigureAwait(false))
                {
                    // Cancelled, or re-claimed after a stall: stop working on it, the result would be discarded.
                    await run.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
#pragma warning disable CA1031 // a failed renewal is retried at the next tick (the loop goes on); the lease may still hold
            catch (Exception e)
#pragma warning restore CA1031
            {
                // It used to end the renewals: the lease ran out mid-job and another worker ran the job again.
                JobLog.JobStoreFailed(_logger, e);
            }
        }
    }
}
