using System.Globalization;
using CdnProxy.Server.Origins;

namespace CdnProxy.Server.Streaming;

/// <summary>
/// What one relay may ask of its origin, counted in time spent waiting on the origin only (never on the client).
/// </summary>
/// <param name="MinBytesPerSecond">Once <paramref name="Grace"/> of waiting has passed, the origin's bytes over the time waited on it must stay at least this.</param>
/// <param name="Grace">Waiting time before the rate is held (connecting, the headers, a slow first byte).</param>
/// <param name="MaxWait">Most time spent waiting on the origin in all, however fast it is.</param>
/// <param name="Stall">Longest single wait: for the headers, or for one read of the body.</param>
public sealed record OriginPaceLimits(double MinBytesPerSecond, TimeSpan Grace, TimeSpan MaxWait, TimeSpan Stall)
{
    /// <summary>The limits an origin's settings give a stored-file relay (<paramref name="stall"/>: its per-wait timeout).</summary>
    public static OriginPaceLimits Of(OriginOptions options, TimeSpan stall)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.StoredFileMinBytesPerSecond, TimeSpan.FromSeconds(options.StoredFileRateGraceSeconds),
            TimeSpan.FromSeconds(options.StoredFileTimeoutSeconds), stall);
    }
}

/// <summary>
/// Times one relay's waits on its origin (the headers, then each read of the body) and cancels <see cref="Token"/>
/// when a wait outlasts what <see cref="OriginPaceLimits"/> allow: no bytes for <c>Stall</c>, fewer than
/// <c>MinBytesPerSecond</c> on average once <c>Grace</c> has passed, or <c>MaxWait</c> in all. Time between waits,
/// when the relay is writing to the client, is not counted: a slow client is Kestrel's to judge
/// (<c>MinResponseDataRate</c>). Waits come one at a time (one request, then one read after another).
/// </summary>
public sealed class OriginPace : IDisposable
{
    private readonly OriginPaceLimits _limits;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _cut = new();
    private readonly ITimer _timer;
    private TimeSpan _waited;
    private long _bytes;
    private long _waitStarted;
    private Limit _armed;
    private TimeSpan _cutAt;

    public OriginPace(OriginPaceLimits limits, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(time);
        _limits = limits;
        _time = time;
        _timer = time.CreateTimer(static state => ((OriginPace)state!).Cut(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private enum Limit
    {
        Stall,
        Rate,
        Total,
    }

    /// <summary>Cancelled when the origin fell short of a limit during a wait.</summary>
    public CancellationToken Token => _cut.Token;

    /// <summary>Total bytes the origin has delivered so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Starts timing a wait on the origin: it must end before the first limit it could break.</summary>
    public void BeginWait()
    {
        _waitStarted = _time.GetTimestamp();
        // The latest total waiting time the bytes so far pay for: the grace, or more once they are many. Compared in
        // seconds: at a tiny minimum rate it can pass what a TimeSpan holds.
        var byRateSeconds = Math.Max(_limits.Grace.TotalSeconds, _bytes / _limits.MinBytesPerSecond);
        var (allowed, limit) = (_limits.Stall, Limit.Stall);
        if (byRateSeconds - _waited.TotalSeconds < allowed.TotalSeconds)
        {
            (allowed, limit) = (TimeSpan.FromSeconds(byRateSeconds) - _waited, Limit.Rate);
        }

        if (_limits.MaxWait - _waited < allowed)
        {
            (allowed, limit) = (_limits.MaxWait - _waited, Limit.Total);
        }

        (_armed, _cutAt) = (limit, _waited + allowed);
        _timer.Change(allowed > TimeSpan.Zero ? allowed : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Ends the wait begun last, which brought <paramref name="bytes"/>; the clock stops until the next.</summary>
    public void EndWait(int bytes)
    {
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _waited += _time.GetElapsedTime(_waitStarted);
        Interlocked.Add(ref _bytes, bytes);
    }

    /// <summary>Which limit cut the relay, with the figures (for the log and the timeout's message).</summary>
    public string Describe() => _armed switch
    {
        Limit.Stall => string.Create(CultureInfo.InvariantCulture, $"no bytes for {_limits.Stall.TotalSeconds} s"),
        Limit.Rate => string.Create(CultureInfo.InvariantCulture,
            $"{Bytes} bytes in {_cutAt.TotalSeconds:0.##} s of waiting on it, below the minimum of {_limits.MinBytesPerSecond} B/s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{_limits.MaxWait.TotalSeconds} s spent waiting on it in all"),
    };

    public void Dispose()
    {
        _timer.Dispose();
        _cut.Dispose();
    }

    private void Cut()
    {
        try
        {
            _cut.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The relay ended as the timer fired.
        }
    }
}
