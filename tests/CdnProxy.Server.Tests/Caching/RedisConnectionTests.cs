using System.Diagnostics;
using CdnProxy.Server.Caching;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace CdnProxy.Server.Tests.Caching;

/// <summary>
/// What the client does for us against a real redis-server: bounded calls, failing at once while disconnected,
/// reconnecting by itself. These replaced our own timeout and reconnect code, so they must hold.
/// </summary>
public sealed class RedisConnectionTests : IDisposable
{
    private const int TimeoutMilliseconds = 400;

    private readonly RedisServer _redis = new();
    private readonly RedisConnection _connection;

    public RedisConnectionTests()
    {
        var options = new RedisCacheOptions { Configuration = _redis.Configuration, TimeoutMilliseconds = TimeoutMilliseconds };
        _connection = new RedisConnection(options, NullLogger<RedisConnection>.Instance);
    }

    public void Dispose()
    {
        _connection.Dispose();
        _redis.Dispose();
    }

    [Fact]
    public void ClientConfiguration_NeverAbortsOnConnect_FailsFastWhenDisconnected_AndBeatsOftenEnoughForItsTimeout()
    {
        var configuration = RedisConnection.ToClientConfiguration(new RedisCacheOptions { Configuration = "redis:6379,password=secret", TimeoutMilliseconds = 250 });

        Assert.False(configuration.AbortOnConnectFail);
        Assert.Same(BacklogPolicy.FailFast, configuration.BacklogPolicy);
        Assert.Equal(250, configuration.AsyncTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(125), configuration.HeartbeatInterval);
        Assert.Equal("secret", configuration.Password);
    }

    [Fact]
    public async Task FrozenServer_CallFailsWithTheClientsTimeout_NotLater()
    {
        var database = await ConnectedDatabase();
        _redis.Pause();

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<RedisTimeoutException>(() => database.StringGetAsync("k"));

        // The lower bound is the contract, less the granularity of the client's own coarse clock (it timed out 1.3 ms
        // before our stopwatch's 400 ms once, under load); the upper one only catches a call that hangs (no timeout).
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(TimeoutMilliseconds * 0.95), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task KilledServer_CallsFailAsConnectionErrors_ThenTheClientReconnectsByItself()
    {
        var database = await ConnectedDatabase();
        _redis.Kill();
        await Poll.UntilAsync(() => !_connection.IsConnected, TimeSpan.FromSeconds(20), "the connection did not drop within 20 s");

        // Not queued until the timeout (BacklogPolicy.FailFast): refused as a connection failure.
        await Assert.ThrowsAsync<RedisConnectionException>(() => database.StringGetAsync("k"));

        _redis.Start();
        await Poll.UntilAsync(() => _connection.IsConnected, TimeSpan.FromSeconds(20), "the connection did not come back within 20 s");
        await database.StringSetAsync("k", "back");
        Assert.Equal("back", (string?)await database.StringGetAsync("k"));
    }

    [Fact]
    public async Task UnreachableFromTheStart_CallsFailAsConnectionErrors_WhetherOrNotTheFirstAttemptHasEnded()
    {
        _redis.Kill();
        using var unreachable = new RedisConnection(new RedisCacheOptions { Configuration = _redis.Configuration }, NullLogger<RedisConnection>.Instance);

        var during = await Record.ExceptionAsync(async () => await unreachable.GetDatabase().StringGetAsync("k"));
        await unreachable.Multiplexer;
        var after = await Record.ExceptionAsync(async () => await unreachable.GetDatabase().StringGetAsync("k"));

        Assert.IsType<RedisConnectionException>(during);
        Assert.IsType<RedisConnectionException>(after);
    }

    private async Task<IDatabase> ConnectedDatabase()
    {
        await _connection.Multiplexer;
        await Poll.UntilAsync(() => _connection.IsConnected, TimeSpan.FromSeconds(20), "the connection did not come back within 20 s");
        return _connection.GetDatabase();
    }

}
