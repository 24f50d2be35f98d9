namespace CdnProxy.Server.Caching;

/// <summary>
/// Listens for purges in the background once the first connection attempt has ended (building the tier started it);
/// start-up never waits for Redis.
/// </summary>
public sealed class RedisStartupService : IHostedService
{
    private readonly RedisTier _redis;

    public RedisStartupService(RedisTier redis)
    {
        _redis = redis;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_redis.Purges is { } purges)
        {
            _ = Task.Run(purges.StartListeningAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
