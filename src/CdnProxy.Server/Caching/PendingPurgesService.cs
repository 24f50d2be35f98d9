using CdnProxy.Core.Caching;

namespace CdnProxy.Server.Caching;

/// <summary>Retries, in the background, the Redis purges that failed (<see cref="PendingPurges"/>); idle without Redis.</summary>
public sealed class PendingPurgesService(TieredRenditionCache cache) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        cache.Pending is { } pending ? pending.RunAsync(stoppingToken) : Task.CompletedTask;
}
