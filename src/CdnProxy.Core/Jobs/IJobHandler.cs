namespace CdnProxy.Core.Jobs;

/// <summary>Runs the jobs of one kind. Failures a client caused come back as a failed outcome, never as an exception.</summary>
public interface IJobHandler
{
    string Kind { get; }

    Task<JobOutcome> RunAsync(JobRecord job, CancellationToken cancellationToken);
}

/// <summary>Renders a job as its face shows it (the webhook body is this JSON).</summary>
public interface IJobView
{
    string Kind { get; }

    string Render(JobRecord job);
}
