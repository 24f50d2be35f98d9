namespace CdnProxy.Core.Jobs;

/// <summary>How a replica runs jobs (bound from <c>CdnProxy:Jobs</c> by the server).</summary>
public sealed record JobRunnerOptions
{
    /// <summary>Jobs this replica runs at once (each job's renders still queue at the render gate).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>How long a claim lasts without renewal; a replica that dies loses its jobs to others after this.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle worker looks for work (a job created on this replica wakes it at once).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest a job may run before it is stopped and failed.</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runs a job may start: claimed again after this many runs ended without a result (their workers gone), it is
    /// failed, not run. A job that takes its process down would otherwise take down every replica in turn, forever.
    /// </summary>
    public int MaxRuns { get; init; } = 3;
}
