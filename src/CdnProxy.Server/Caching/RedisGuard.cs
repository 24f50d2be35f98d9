using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using Polly;
using Polly.CircuitBreaker;
using StackExchange.Redis;

namespace CdnProxy.Server.Caching;

/// <summary>
/// Runs every Redis call behind a circuit breaker: after repeated failures calls are skipped at once, so a dead or
/// slow Redis costs requests nothing. Within a request (<see cref="SharedTierBudget"/>) the calls share one timeout,
/// measured on our own clock, and after one fails, times out or is skipped the request makes no more. The client
/// bounds each call too (its timeout, and failing at once while disconnected: see <see cref="RedisConnection"/>), so
/// a call a request stopped waiting for still ends, and the breaker learns how. A failed or skipped call answers its
/// fallback; the guard never throws.
/// </summary>
public sealed class RedisGuard
{
    private readonly Func<IDatabase> _database;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _breaker = new();
    private readonly CdnProxyCounters _counters;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;

    public RedisGuard(Func<IDatabase> database, RedisCacheOptions options, CdnProxyCounters counters, TimeProvider time, ILogger<RedisGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _counters = counters;
        _time = time;
        _timeout = TimeSpan.FromMilliseconds(options.TimeoutMilliseconds);
        _logger = logger;
        var breaker = options.Breaker;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = breaker.FailureRatio,
                SamplingDuration = TimeSpan.FromMilliseconds(breaker.SamplingMilliseconds),
                MinimumThroughput = breaker.MinimumThroughput,
                BreakDuration = TimeSpan.FromMilliseconds(breaker.BreakMilliseconds),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(),
                StateProvider = _breaker,
                OnOpened = args =>
                {
                    CacheLog.BreakerOpened(_logger, args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    CacheLog.BreakerClosed(_logger);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>The breaker: closed (Redis used), open (skipped), half-open (one trial call).</summary>
    public CircuitState BreakerState => _breaker.CircuitState;

    /// <summary>
    /// Runs <paramref name="operation"/>, or answers <paramref name="fallback"/> when it fails, is skipped, or outlasts
    /// what is left of the request's timeout (the whole timeout outside a request).
    /// </summary>
    public Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, T fallback) =>
        RunWithinAsync(SharedTierBudget.Current, operation, fallback);

    /// <summary>Runs a Lua script; <see langword="null"/> when it failed or was skipped.</summary>
    public Task<RedisResult?> EvaluateAsync(string script, RedisKey[] keys, RedisValue[] values) =>
        RunAsync<RedisResult?>(async db => await db.ScriptEvaluateAsync(script, keys, values).ConfigureAwait(false), null);

    /// <summary>
    /// A write other replicas wait on (releasing a render lock): made as any call, but once the request has given up
    /// on Redis it is still made, with a timeout of its own, and not waited for.
    /// </summary>
    public Task RunEvenAfterGivingUpAsync(Func<IDatabase, Task> operation)
    {
        var budget = SharedTierBudget.Current;
        var gaveUp = budget is not null && budget.RemainingOf(_timeout) <= TimeSpan.Zero;
        var call = RunWithinAsync(gaveUp ? null : budget, async db => { await operation(db).ConfigureAwait(false); return true; }, false);
        // It never throws, so nothing is lost by not awaiting it.
        return gaveUp ? Task.CompletedTask : call;
    }

    private async Task<T> RunWithinAsync<T>(SharedTierBudget? budget, Func<IDatabase, Task<T>> operation, T fallback)
    {
        var allowed = budget?.RemainingOf(_timeout) ?? _timeout;
        if (allowed <= TimeSpan.Zero)
        {
            budget?.GiveUp();
            return fallback;
        }

        var started = _time.GetTimestamp();
        // Our own timer, not only the client's timeout: the client finds late calls once per heartbeat, up to half a
        // timeout late, and knows nothing of what the request spent before. Started first, so time the client takes
        // to accept the call counts too.
        using var deadline = new CancellationTokenSource(allowed, _time);
        try
        {
            var (succeeded, value) = await RunGuardedAsync(operation).WaitAsync(deadline.Token).ConfigureAwait(false);
            if (succeeded)
            {
                return value!;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // The call itself goes on until the client's timeout ends it, and counts for the breaker then.
        }
        finally
        {
            budget?.Charge(_time.GetElapsedTime(started));
        }

        budget?.GiveUp();
        return fallback;
    }

    /// <summary>The call through the breaker; never throws.</summary>
    private async Task<(bool Succeeded, T? Value)> RunGuardedAsync<T>(Func<IDatabase, Task<T>> operation)
    {
        try
        {
            var value = await _pipeline.ExecuteAsync(
                static async (state, _) => await state.operation(state.database()).ConfigureAwait(false),
                (operation, database: _database),
                CancellationToken.None).ConfigureAwait(false);
            return (true, value);
        }
        catch (BrokenCircuitException)
        {
            _counters.RecordRedisSkipped();
            return (false, default);
        }
#pragma warning disable CA1031 // Redis is an optimisation: every failure, whatever its type, is a fallback.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _counters.RecordRedisError();
            CacheLog.CallFailed(_logger, e);
            return (false, default);
        }
    }
}
