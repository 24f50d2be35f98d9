using CdnProxy.Core.Jobs;

namespace CdnProxy.Server.Jobs;

/// <summary>Creates the store's schema, then runs this replica's workers, the webhook sender and the hourly prune of idempotency keys.</summary>
public sealed class JobsHostedService(IJobStore store, JobRunner runner, WebhookDispatcher webhooks, JobsOptions options, TimeProvider time) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the server listens: a job API call never meets a missing table.
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        runner.RunAsync(stoppingToken),
        webhooks.RunAsync(TimeSpan.FromMilliseconds(options.PollMilliseconds), stoppingToken),
        PruneAsync(stoppingToken));

    private async Task PruneAsync(CancellationToken stoppingToken)
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
