using CdnProxy.Core;
using CdnProxy.Server.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Server.Tests.Jobs;

public class JobRendererTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task ABusyServer_IsWaitedFor_BackingOff_UntilTheRenderIsTaken()
    {
        var attempts = new List<DateTimeOffset>();
        var render = JobRenderer.RetryWhileHeldBackAsync(
            _ =>
            {
                lock (attempts)
                {
                    attempts.Add(_time.GetUtcNow());
                    return attempts.Count < 5 ? throw new CdnException(CdnErrorKind.Overloaded, "busy") : Task.FromResult("rendered");
                }
            },
            _time,
            default);

        await AdvanceUntilAsync(() => render.IsCompleted);

        Assert.Equal("rendered", await render);
        var waits = attempts.Zip(attempts.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToArray();
        // 250, 500, 1000, 2000 ms; a retry can only come later than its wait (the clock moves in 50-ms steps).
        Assert.Equal(4, waits.Length);
        foreach (var (wait, expected) in waits.Zip(new[] { 250, 500, 1000, 2000 }))
        {
            Assert.InRange(wait, expected, expected + 200);
        }
    }

    [Fact]
    public async Task AnOriginThatAskedUsToWait_IsAskedAgainOnlyWhenItsPauseEnds()
    {
        var attempts = new List<DateTimeOffset>();
        var render = JobRenderer.RetryWhileHeldBackAsync(
            _ =>
            {
                lock (attempts)
                {
                    attempts.Add(_time.GetUtcNow());
                    return attempts.Count < 3
                        ? throw new CdnException(CdnErrorKind.OriginThrottled, "wait") { RetryAfter = TimeSpan.FromSeconds(attempts.Count == 1 ? 3 : 0.01) }
                        : Task.FromResult("rendered");
                }
            },
            _time,
            default);

        await AdvanceUntilAsync(() => render.IsCompleted);

        Assert.Equal("rendered", await render);
        Assert.InRange((attempts[1] - attempts[0]).TotalMilliseconds, 3000, 3200);
        Assert.InRange((attempts[2] - attempts[1]).TotalMilliseconds, 250, 450); // a pause about to end: FirstWait
    }

    [Fact]
    public void TheWait_Doubles_UpToItsLongest()
    {
        var waits = new List<TimeSpan> { JobRenderer.FirstWait };
        for (var i = 0; i < 6; i++)
        {
            waits.Add(JobRenderer.NextWait(waits[^1]));
        }

        Assert.Equal([250, 500, 1000, 2000, 4000, 4000, 4000], waits.Select(w => w.TotalMilliseconds));
    }

    [Fact]
    public async Task TheWaitEnds_WhenTheJobsTimeDoes()
    {
        using var jobTime = new CancellationTokenSource();
        var calls = 0;
        var render = JobRenderer.RetryWhileHeldBackAsync<string>(_ => { Interlocked.Increment(ref calls); throw new CdnException(CdnErrorKind.Overloaded, "busy"); }, _time, jobTime.Token);
        await AdvanceUntilAsync(() => Volatile.Read(ref calls) >= 3);

        await jobTime.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => render);
        Assert.Equal(3, calls);
    }

    [Theory]
    [InlineData(CdnErrorKind.LimitExceeded)]
    [InlineData(CdnErrorKind.RenderTimeout)]
    [InlineData(CdnErrorKind.OriginNotFound)]
    [InlineData(CdnErrorKind.OriginFailed)]
    public async Task AnyOtherFailure_FailsTheRenderAtOnce(CdnErrorKind kind)
    {
        var calls = 0;
        var e = await Assert.ThrowsAsync<CdnException>(() => JobRenderer.RetryWhileHeldBackAsync<string>(_ => { calls++; throw new CdnException(kind, "no"); }, _time, default));

        Assert.Equal((kind, 1), (e.Kind, calls));
    }

    /// <summary>Moves the fake clock in small steps, letting the retries' continuations run between them.</summary>
    private async Task AdvanceUntilAsync(Func<bool> done)
    {
        for (var i = 0; i < 2_000 && !done(); i++)
        {
            _time.Advance(Step);
            await Task.Delay(1);
        }

        Assert.True(done(), "never got there");
    }
}
