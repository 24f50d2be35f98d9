using CdnProxy.Core.Jobs;

namespace CdnProxy.Server.Jobs;

/// <summary>
/// When jobs are enabled: creates the store's schema, then runs this replica's workers, the webhook sender and the
/// hourly prune (idempotency keys, and jobs past <see cref="JobsOptions.RetentionDays"/> with their files). Registered
/// after libvips' start-up service and resolving the job services only when it starts, since running jobs needs the
/// render core, which needs libvips started.
/// </summary>
public sealed partial class JobsHostedService(IServiceProvider services, JobsOptions options, TimeProvider time, ILogger<JobsHostedService> logger) : BackgroundService
{
    private IJobStore? _store;
    private JobRunner? _runner;
    private WebhookDispatcher? _webhooks;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        _store = services.GetRequiredService<IJobStore>();
        _runner = services.GetRequiredService<JobRunner>();
        _webhooks = services.GetRequiredService<WebhookDispatcher>();

        // Before the server listens: a job API call never meets a missing table.
        await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        _runner!.RunAsync(stoppingToken),
        _webhooks!.RunAsync(TimeSpan.FromMilliseconds(options.PollMilliseconds), stoppingToken),
        PruneAsync(_store!, services.GetRequiredService<JobRetention>(), stoppingToken));

    /// <summary>At start and then hourly: expired idempotency keys, and jobs past their retention.</summary>
    private async Task PruneAsync(IJobStore store, JobRetention retention, CancellationToken stoppingToken)
    {
        using var hourly = new PeriodicTimer(TimeSpan.FromHours(1), time);
        try
        {
            do
            {
                try
                {
                    await store.PruneAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                    await retention.PruneAsync(stoppingToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // an outage of the store or the jobs cloud (a time-out included) must not stop the host or the prune: the next hour retries
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    PruneFailed(logger, e);
                }
            }
            while (await hourly.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "The hourly prune of jobs failed; it runs again in an hour")]
    private static partial void PruneFailed(ILogger logger, Exception exception);
}
