using CdnProxy.Core.Diagnostics;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace CdnProxy.Server.Caching;

/// <summary>
/// Runs every Redis call under our own timeout (the 1.x client's async calls do not honour one reliably) and a
/// circuit breaker: after repeated failures calls are skipped at once, so a dead or slow Redis costs requests nothing.
/// A failed or skipped call answers its fallback; the guard never throws.
/// </summary>
public sealed class RedisGuard
{
    private readonly Func<Task<IDatabase>> _database;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _breaker = new();
    private readonly CdnProxyCounters _counters;
    private readonly ILogger _logger;

    public RedisGuard(Func<Task<IDatabase>> database, RedisCacheOptions options, CdnProxyCounters counters, TimeProvider time, ILogger<RedisGuard> logger)
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
            .AddTimeout(TimeSpan.FromMilliseconds(options.TimeoutMilliseconds))
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
                async cancellationToken =>
                {
                    var database = await _database().WaitAsync(cancellationToken).ConfigureAwait(false);
                    return await operation(database).WaitAsync(cancellationToken).ConfigureAwait(false);
                },
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
            CacheLog.CallFailed(_logger, e is TimeoutRejectedException ? new TimeoutException("Redis call timed out", e) : e);
            return fallback;
        }
    }
}
