using CdnProxy.Server.Streaming;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Server.Tests.Streaming;

/// <summary>The stored-file relay's origin limits, on a fake clock: only the time spent waiting on the origin counts.</summary>
public sealed class OriginPaceTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void AnOriginBelowTheMinimumRate_IsCutOnlyOnceTheGraceHasPassed()
    {
        using var pace = Pace(minBytesPerSecond: 1000, grace: 10);

        Wait(pace, seconds: 9, bytes: 1000);

        AssertCutInNextWait(pace, notBefore: 0.9, by: 1.1);
        Assert.Contains("1000 bytes in 10 s of waiting on it, below the minimum of 1000 B/s", pace.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void TimeBetweenWaits_TheClientsTime_IsNotCounted()
    {
        using var pace = Pace(minBytesPerSecond: 1000, grace: 10);

        Wait(pace, seconds: 5, bytes: 100);
        _time.Advance(TimeSpan.FromHours(2));
        Wait(pace, seconds: 4.9, bytes: 100);
        _time.Advance(TimeSpan.FromHours(2));

        Assert.False(pace.Token.IsCancellationRequested);
    }

    [Fact]
    public void BytesDelivered_EarnWaitingTimeAtTheMinimumRate()
    {
        using var pace = Pace(minBytesPerSecond: 1000, grace: 10, stall: 200);

        // 100 KB in 1 s pays for 100 s of waiting in all; after 98 s more, 1 s is left.
        Wait(pace, seconds: 1, bytes: 100_000);
        Wait(pace, seconds: 98, bytes: 0);

        AssertCutInNextWait(pace, notBefore: 0.9, by: 1.1);
    }

    [Fact]
    public void OneWaitWithoutBytes_IsCutAtTheStallTimeout()
    {
        using var pace = Pace(minBytesPerSecond: 1, grace: 100, stall: 5);

        Wait(pace, seconds: 4.9, bytes: 10);

        AssertCutInNextWait(pace, notBefore: 4.9, by: 5.1);
        Assert.Equal("no bytes for 5 s", pace.Describe());
    }

    [Fact]
    public void AFastOrigin_IsCutWhenItsWaitsAddUpToTheTotal()
    {
        using var pace = Pace(minBytesPerSecond: 1, grace: 5, maxWait: 20);

        for (var read = 0; read < 19; read++)
        {
            Wait(pace, seconds: 1, bytes: 1_000_000);
        }

        AssertCutInNextWait(pace, notBefore: 0.9, by: 1.1);
        Assert.Equal("20 s spent waiting on it in all", pace.Describe());
    }

    [Fact]
    public void ManyBytesAtATinyMinimumRate_EarnAWaitBeyondAnyTimeSpan_WithoutOverflowing()
    {
        // 2 GiB at 0.001 B/s pay for 2e12 s of waiting, more than TimeSpan holds: the stall and total limits still apply.
        using var pace = Pace(minBytesPerSecond: 0.001, grace: 10, stall: 5);

        Wait(pace, seconds: 1, bytes: int.MaxValue);

        AssertCutInNextWait(pace, notBefore: 4.9, by: 5.1);
        Assert.Equal("no bytes for 5 s", pace.Describe());
    }

    private OriginPace Pace(double minBytesPerSecond, double grace, double maxWait = 3600, double stall = 60) =>
        new(new OriginPaceLimits(minBytesPerSecond, TimeSpan.FromSeconds(grace), TimeSpan.FromSeconds(maxWait), TimeSpan.FromSeconds(stall)), _time);

    /// <summary>The next wait, if the origin sends nothing, is cut after <paramref name="notBefore"/> seconds and by <paramref name="by"/>.</summary>
    private void AssertCutInNextWait(OriginPace pace, double notBefore, double by)
    {
        pace.BeginWait();
        _time.Advance(TimeSpan.FromSeconds(notBefore));
        Assert.False(pace.Token.IsCancellationRequested, $"cut before {notBefore} s");
        _time.Advance(TimeSpan.FromSeconds(by - notBefore));
        Assert.True(pace.Token.IsCancellationRequested, $"not cut by {by} s");
    }

    private void Wait(OriginPace pace, double seconds, int bytes)
    {
        pace.BeginWait();
        _time.Advance(TimeSpan.FromSeconds(seconds));
        pace.EndWait(bytes);
    }
}
