using StackExchange.Redis;

namespace CdnProxy.Server.Caching;

/// <summary>
/// The one Redis connection of the process, started when it is built and never awaited by start-up. The client does
/// the rest itself: it keeps reconnecting in the background (<c>abortConnect=false</c>), re-subscribes after a
/// reconnection, and fails a call that got no answer within <see cref="RedisCacheOptions.TimeoutMilliseconds"/>.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly Task<ConnectionMultiplexer> _multiplexer;

    public RedisConnection(RedisCacheOptions options, ILogger<RedisConnection> logger)
    {
        var configuration = ToClientConfiguration(options);
        _multiplexer = ConnectAsync(configuration, logger);
    }

    /// <summary>True once connected and while the connection is up.</summary>
    public bool IsConnected => _multiplexer is { IsCompletedSuccessfully: true } task && task.Result.IsConnected;

    /// <summary>The multiplexer once its first connection attempt has ended (connected or not: it keeps trying).</summary>
    public Task<ConnectionMultiplexer> Multiplexer => _multiplexer;

    /// <summary>
    /// The database to call. Until the first connection attempt has ended this throws at once, as the client itself
    /// does for a call made while disconnected (<see cref="BacklogPolicy.FailFast"/>): a cache call never waits for Redis.
    /// </summary>
    public IDatabase GetDatabase() => _multiplexer.IsCompletedSuccessfully
        ? _multiplexer.Result.GetDatabase()
        : throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "Redis: no connection yet");

    /// <summary>The client's settings: ours on top of the operator's configuration string.</summary>
    public static ConfigurationOptions ToClientConfiguration(RedisCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = ConfigurationOptions.Parse(options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = options.ConnectTimeoutMilliseconds;
        // One attempt before the multiplexer is handed out; the reconnect policy takes over from there.
        configuration.ConnectRetry = 1;
        configuration.AsyncTimeout = options.TimeoutMilliseconds;
        configuration.SyncTimeout = options.TimeoutMilliseconds;
        // The client checks for timed-out calls once per heartbeat (1 s by default). Requests do not wait for that
        // (RedisGuard times them on its own clock), but the breaker learns how a call ended only then: beat at half the
        // timeout so a hung call fails between 1 and 1.5 timeouts, not up to a second late.
        configuration.HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Clamp(options.TimeoutMilliseconds / 2, 25, 1000));
        // A cache call made while Redis is unreachable fails at once instead of queueing until its timeout: a miss now
        // is cheaper than a miss later, and the breaker counts it.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        // Pings an idle connection every few seconds, so a dead server is noticed even when no request is sent.
        configuration.KeepAlive = 5;
        configuration.ClientName ??= "cdnproxy";
        return configuration;
    }

    public void Dispose()
    {
        if (_multiplexer.IsCompletedSuccessfully)
        {
            _multiplexer.Result.Dispose();
        }
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions configuration, ILogger logger)
    {
        ConnectionMultiplexer multiplexer;
        try
        {
            multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or ArgumentException or InvalidOperationException)
        {
            // Not an unreachable server (the client keeps trying those): the client refused to start at all.
            CacheLog.ClientNotCreated(logger, e);
            throw;
        }

        multiplexer.ConnectionFailed += (_, e) => CacheLog.ConnectionLost(logger, e.FailureType.ToString());
        multiplexer.ConnectionRestored += (_, _) => CacheLog.ConnectionRestored(logger);
        if (!multiplexer.IsConnected)
        {
            CacheLog.ConnectionLost(logger, "UnableToConnect");
        }

        return multiplexer;
    }
}
