using CdnProxy.Core.Diagnostics;
using CdnProxy.Server.Caching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using StackExchange.Redis;

namespace CdnProxy.Server.Tests.Caching;

public sealed class RedisGuardTests : IDisposable
{
    private static readonly RedisCacheOptions Options = new()
    {
        Configuration = "unused:1",
        TimeoutMilliseconds = 250,
        Breaker = new RedisBreakerOptions { FailureRatio = 0.5, MinimumThroughput = 4, SamplingMilliseconds = 10_000, BreakMilliseconds = 30_000 },
    };

    private readonly FakeTimeProvider _time = new();
    private readonly CdnProxyCounters _counters = new();
    private readonly RedisGuard _guard;
    private int _calls;

    public RedisGuardTests()
    {
        _guard = new RedisGuard(() => null!, Options, _counters, _time, NullLogger<RedisGuard>.Instance);
    }

    public void Dispose() => _counters.Dispose();

    [Fact]
    public async Task Success_ReturnsTheValue_AndKeepsTheBreakerClosed()
    {
        Assert.Equal(7, await _guard.RunAsync(_ => Count(7), -1));
        Assert.Equal(CircuitState.Closed, _guard.BreakerState);
    }

    [Fact]
    public async Task Failure_ReturnsTheFallback_AndCountsAnError()
    {
        Assert.Equal(-1, await _guard.RunAsync(_ => Fail(), -1));
        Assert.Equal(1, _counters.Snapshot().RedisErrors);
    }

    [Fact]
    public async Task NoConnectionYet_IsAFailureTheBreakerCounts()
    {
        var guard = new RedisGuard(
            () => throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "no connection yet"),
            Options,
            _counters,
            _time,
            NullLogger<RedisGuard>.Instance);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(-1, await guard.RunAsync(_ => Count(7), -1));
        }

        Assert.Equal(0, _calls);
        Assert.Equal(4, _counters.Snapshot().RedisErrors);
        Assert.Equal(CircuitState.Open, guard.BreakerState);
    }

    [Fact]
    public async Task RepeatedFailures_OpenTheBreaker_ThenCallsAreSkippedWithoutRunning()
    {
        for (var i = 0; i < 4; i++)
        {
            await _guard.RunAsync(_ => Fail(), -1);
        }

        Assert.Equal(CircuitState.Open, _guard.BreakerState);
        var callsBefore = _calls;
        Assert.Equal(-1, await _guard.RunAsync(_ => Count(7), -1));
        Assert.Equal(callsBefore, _calls);
        Assert.Equal(1, _counters.Snapshot().RedisSkipped);
    }

    [Fact]
    public async Task AfterTheBreakDuration_OneSuccessfulTrialClosesTheBreaker()
    {
        for (var i = 0; i < 4; i++)
        {
            await _guard.RunAsync(_ => Fail(), -1);
        }

        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(7, await _guard.RunAsync(_ => Count(7), -1));

        Assert.Equal(CircuitState.Closed, _guard.BreakerState);
    }

    [Fact]
    public async Task FailedTrial_OpensTheBreakerAgain()
    {
        for (var i = 0; i < 4; i++)
        {
            await _guard.RunAsync(_ => Fail(), -1);
        }

        _time.Advance(TimeSpan.FromSeconds(31));
        await _guard.RunAsync(_ => Fail(), -1);

        Assert.Equal(CircuitState.Open, _guard.BreakerState);
    }

    [Fact]
    public async Task FewFailuresAmongSuccesses_KeepTheBreakerClosed()
    {
        for (var i = 0; i < 10; i++)
        {
            await _guard.RunAsync(_ => i % 4 == 0 ? Fail() : Count(1), -1);
        }

        Assert.Equal(CircuitState.Closed, _guard.BreakerState);
    }

    private Task<int> Count(int value)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(value);
    }

    private Task<int> Fail()
    {
        Interlocked.Increment(ref _calls);
        return Task.FromException<int>(new TimeoutException("redis down"));
    }
}
