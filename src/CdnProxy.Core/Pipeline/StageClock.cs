namespace CdnProxy.Core.Pipeline;

/// <summary>
/// Times a request's stages for <c>Server-Timing</c>: each stage is measured once, around its await, by one small
/// clock instead of timestamps scattered through the pipeline.
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
        var started = _time.GetTimestamp();
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            Record(stage, _time.GetElapsedTime(started));
        }
    }

    /// <summary>Starts <paramref name="stage"/>; disposing the result records it (spanning several awaits).</summary>
    public Measurement Start(string stage) => new(this, stage, _time.GetTimestamp());

    /// <summary>Records stages measured elsewhere (the renderer's decode and encode).</summary>
    public void Record(string stage, TimeSpan duration) => _timings.Add(new StageTiming(stage, duration));

    /// <summary>A running stage.</summary>
    public readonly struct Measurement(StageClock clock, string stage, long started) : IDisposable
    {
        public void Dispose() => clock.Record(stage, clock._time.GetElapsedTime(started));
    }
}
