using StackExchange.Redis;

namespace CdnProxy.Server.Caching;

/// <summary>
/// The one Redis connection of the process. Connecting never blocks start-up and never fails it
/// (<c>abortConnect=false</c>): the client keeps reconnecting in the background while requests run without Redis.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly ConfigurationOptions _configuration;
    private readonly ILogger<RedisConnection> _logger;
    private readonly Lock _gate = new();
    private Task<ConnectionMultiplexer>? _multiplexer;

    public RedisConnection(RedisCacheOptions options, ILogger<RedisConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _configuration = ConfigurationOptions.Parse(options.Configuration);
        _configuration.AbortOnConnectFail = false;
        _configuration.ConnectTimeout = options.ConnectTimeoutMilliseconds;
        _configuration.ConnectRetry = 1;
        // Heartbeats every few seconds notice a dead server even when no request is sent.
        _configuration.KeepAlive = 5;
        _configuration.ClientName ??= "cdnproxy";
    }

    /// <summary>True once connected and while the connection is up.</summary>
    public bool IsConnected => Volatile.Read(ref _multiplexer) is { IsCompletedSuccessfully: true } task && task.Result.IsConnected;

    /// <summary>
    /// The multiplexer; the first call starts connecting, and a call after a failed attempt starts another (the
    /// client reconnects by itself once it has a multiplexer). Await it with a timeout.
    /// </summary>
    public Task<ConnectionMultiplexer> GetAsync()
    {
        var current = Volatile.Read(ref _multiplexer);
        if (current is not null && !current.IsFaulted && !current.IsCanceled)
        {
            return current;
        }

        lock (_gate)
        {
            if (_multiplexer is null || _multiplexer.IsFaulted || _multiplexer.IsCanceled)
            {
                _multiplexer = ConnectAsync();
            }

            return _multiplexer;
        }
    }

    public void Dispose()
    {
        if (Volatile.Read(ref _multiplexer) is { IsCompletedSuccessfully: true } task)
        {
            task.Result.Dispose();
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        // Off the caller's thread: the 1.x client does part of its connect work synchronously.
        var multiplexer = await Task.Run(() => ConnectionMultiplexer.ConnectAsync(_configuration)).ConfigureAwait(false);
        multiplexer.ConnectionFailed += (_, e) => CacheLog.ConnectionLost(_logger, e.FailureType.ToString());
        multiplexer.ConnectionRestored += (_, _) => CacheLog.ConnectionRestored(_logger);
        return multiplexer;
    }
}
