using System.Diagnostics;
using CdnProxy.Core.Diagnostics;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// Times a request's stages for <c>Server-Timing</c>, and gives each a trace span: each stage is measured once,
/// around its await, by one small clock instead of timestamps scattered through the pipeline.
/// </summary>
public sealed class StageClock
{
    private readonly TimeProvider _time;
    private readonly List<StageTiming> _timings = [];

    public StageClock(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>The stages measured so far, in the order they ended.</summary>
    public IReadOnlyList<StageTiming> Timings => _timings;

    /// <summary>Starts <paramref name="work"/>, awaits it and records how long it took as <paramref name="stage"/>.</summary>
    public async ValueTask<T> TimeAsync<T>(string stage, Func<ValueTask<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = CdnProxyActivities.StartStage(stage);
        var started = _time.GetTimestamp();
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception e) when (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        finally
        {
            _timings.Add(new StageTiming(stage, _time.GetElapsedTime(started)));
        }
    }

    /// <summary>Starts <paramref name="stage"/>; disposing the result records it (spanning several awaits).</summary>
    public Measurement Start(string stage) => new(this, stage, _time.GetTimestamp(), CdnProxyActivities.StartStage(stage));

    /// <summary>
    /// Records stages measured elsewhere that ran back to back and ended now (the renderer's decode and encode, on a
    /// render worker).
    /// </summary>
    public void RecordConsecutive(params ReadOnlySpan<StageTiming> stages)
    {
        var end = _time.GetUtcNow();
        foreach (var stage in stages)
        {
            end -= stage.Duration;
        }

        foreach (var stage in stages)
        {
            end += stage.Duration;
            _timings.Add(stage);
            CdnProxyActivities.RecordStage(stage.Stage, end, stage.Duration);
        }
    }

    /// <summary>A running stage.</summary>
    public readonly struct Measurement(StageClock clock, string stage, long started, Activity? span) : IDisposable
    {
        public void Dispose()
        {
            clock._timings.Add(new StageTiming(stage, clock._time.GetElapsedTime(started)));
            span?.Dispose();
        }
    }
}
