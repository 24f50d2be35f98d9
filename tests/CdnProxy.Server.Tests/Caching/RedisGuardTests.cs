using CdnProxy.Core.Caching;
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

    [Fact]
    public async Task HungCall_AnswersItsFallbackWhenTheTimeoutPasses_OnTheGuardsOwnClock()
    {
        var call = _guard.RunAsync(_ => Hang(), -1);

        _time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        // Nothing but the injected clock moved: the client's own timeout (found on a heartbeat) played no part.
        Assert.Equal(-1, await call.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task InARequest_OnceACallTimedOut_TheOthersAreNotMade()
    {
        using (SharedTierBudget.Begin())
        {
            var first = _guard.RunAsync(_ => Hang(), -1);
            _time.Advance(TimeSpan.FromMilliseconds(250));
            Assert.Equal(-1, await first.WaitAsync(TimeSpan.FromSeconds(10)));
            var callsBefore = _calls;

            Assert.Equal(-1, await _guard.RunAsync(_ => Count(7), -1));
            Assert.Equal(callsBefore, _calls);
        }

        // The next request starts afresh.
        using (SharedTierBudget.Begin())
        {
            Assert.Equal(7, await _guard.RunAsync(_ => Count(7), -1));
        }
    }

    [Fact]
    public async Task InARequest_TheCallsShareOneTimeout()
    {
        using var request = SharedTierBudget.Begin();
        var slow = _guard.RunAsync(_ => AnswerAfter(TimeSpan.FromMilliseconds(200), 7), -1);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(7, await slow.WaitAsync(TimeSpan.FromSeconds(10)));

        var hung = _guard.RunAsync(_ => Hang(), -1);
        _time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.False(hung.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(-1, await hung.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromMilliseconds(250), SharedTierBudget.Current!.Spent);
    }

    [Fact]
    public async Task InARequest_AfterTheBreakerSkippedACall_TheOthersAreNotMade_EvenOnceItCloses()
    {
        for (var i = 0; i < 4; i++)
        {
            await _guard.RunAsync(_ => Fail(), -1);
        }

        using var request = SharedTierBudget.Begin();
        Assert.Equal(-1, await _guard.RunAsync(_ => Count(7), -1));
        _time.Advance(TimeSpan.FromSeconds(31));
        var callsBefore = _calls;

        Assert.Equal(-1, await _guard.RunAsync(_ => Count(7), -1));
        Assert.Equal(callsBefore, _calls);
    }

    [Fact]
    public async Task LockRelease_AfterTheRequestGaveUp_IsStillMade_WithoutBeingWaitedFor()
    {
        using var request = SharedTierBudget.Begin();
        var first = _guard.RunAsync(_ => Hang(), -1);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        var made = new TaskCompletionSource();
        var answered = new TaskCompletionSource();

        var release = _guard.RunEvenAfterGivingUpAsync(_ =>
        {
            made.SetResult();
            return answered.Task;
        });

        Assert.True(release.IsCompleted);
        await made.Task.WaitAsync(TimeSpan.FromSeconds(10));
        answered.SetResult();
    }

    private Task<int> Count(int value)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(value);
    }

    private Task<int> Hang()
    {
        Interlocked.Increment(ref _calls);
        return new TaskCompletionSource<int>().Task;
    }

    private async Task<int> AnswerAfter(TimeSpan delay, int value)
    {
        Interlocked.Increment(ref _calls);
        await Task.Delay(delay, _time);
        return value;
    }

    private Task<int> Fail()
    {
        Interlocked.Increment(ref _calls);
        return Task.FromException<int>(new TimeoutException("redis down"));
    }
}
