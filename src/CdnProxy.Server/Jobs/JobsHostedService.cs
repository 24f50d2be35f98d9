using CdnProxy.Core.Jobs;

namespace CdnProxy.Server.Jobs;

/// <summary>
/// When jobs are enabled: creates the store's schema, then runs this replica's workers, the webhook sender and the
/// hourly prune of idempotency keys. Registered after libvips' start-up service and resolving the job services only
/// when it starts, since running jobs needs the render core, which needs libvips started.
/// </summary>
public sealed class JobsHostedService(IServiceProvider services, JobsOptions options, TimeProvider time) : BackgroundService
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
        PruneAsync(_store!, stoppingToken));

    private async Task PruneAsync(IJobStore store, CancellationToken stoppingToken)
    {
        using var hourly = new PeriodicTimer(TimeSpan.FromHours(1), time);
        try
        {
            while (await hourly.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await store.PruneAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
