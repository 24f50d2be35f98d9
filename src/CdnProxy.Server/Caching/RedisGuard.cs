using CdnProxy.Core.Diagnostics;
using Polly;
using Polly.CircuitBreaker;
using StackExchange.Redis;

namespace CdnProxy.Server.Caching;

/// <summary>
/// Runs every Redis call behind a circuit breaker: after repeated failures calls are skipped at once, so a dead or
/// slow Redis costs requests nothing. The client bounds each call itself (its timeout, and failing at once while
/// disconnected: see <see cref="RedisConnection"/>); the breaker stops paying even that. A failed or skipped call
/// answers its fallback; the guard never throws.
/// </summary>
public sealed class RedisGuard
{
    private readonly Func<IDatabase> _database;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _breaker = new();
    private readonly CdnProxyCounters _counters;
    private readonly ILogger _logger;

    public RedisGuard(Func<IDatabase> database, RedisCacheOptions options, CdnProxyCounters counters, TimeProvider time, ILogger<RedisGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _counters = counters;
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

    /// <summary>Runs <paramref name="operation"/>, or answers <paramref name="fallback"/> when it fails, times out or is skipped.</summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, T fallback)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (state, _) => await state.operation(state.database()).ConfigureAwait(false),
                (operation, database: _database),
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (BrokenCircuitException)
        {
            _counters.RecordRedisSkipped();
            return fallback;
        }
#pragma warning disable CA1031 // Redis is an optimisation: every failure, whatever its type, is a fallback.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _counters.RecordRedisError();
            CacheLog.CallFailed(_logger, e);
            return fallback;
        }
    }

    /// <summary>Runs a Lua script; <see langword="null"/> when it failed or was skipped.</summary>
    public Task<RedisResult?> EvaluateAsync(string script, RedisKey[] keys, RedisValue[] values) =>
        RunAsync<RedisResult?>(async db => await db.ScriptEvaluateAsync(script, keys, values).ConfigureAwait(false), null);
}
