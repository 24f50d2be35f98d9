using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using CdnProxy.Cli.Warm;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Cli.Tests.Warm;

public sealed class WarmerTests
{
    private readonly WaitReportingTime _time = new();

    [Fact]
    public async Task TransientFailures_AreRetriedWithBackoff_ThenSucceed()
    {
        var answers = new Queue<HttpStatusCode>([HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK]);
        using var http = new HttpClient(Answering.Of(_ => Reply(answers.Dequeue())));
        var warmer = new Warmer(http, new WarmOptions { Retries = 3, BaseDelay = TimeSpan.FromSeconds(1) }, _time, new Random(1));

        var run = warmer.WarmAsync(["https://cdn/a.jpg"], null, default);
        await AdvanceUntilAsync(run);
        var result = Assert.Single(await run);

        Assert.True(result.Succeeded);
        Assert.Equal(3, result.Attempts);
        // 1 s then 2 s, each ±25 %: at least 1.5 s of (fake) waiting, at most 3.75 s.
        Assert.InRange(result.Milliseconds, 1500, 3750);
    }

    [Fact]
    public async Task RetryAfter_IsHonoured()
    {
        var answers = new Queue<HttpResponseMessage>([Reply(HttpStatusCode.TooManyRequests, retryAfterSeconds: 7), Reply(HttpStatusCode.OK)]);
        using var http = new HttpClient(Answering.Of(_ => answers.Dequeue()));
        var warmer = new Warmer(http, new WarmOptions(), _time);

        var run = warmer.WarmAsync(["https://cdn/a.jpg"], null, default);
        await AdvanceUntilAsync(run);
        var result = Assert.Single(await run);

        // The clock moves by the waits the warmer starts; the back-off it would use without the header is 188–313 ms.
        Assert.True(result.Succeeded);
        Assert.Equal(7000, result.Milliseconds);
    }

    [Fact]
    public async Task Signing_SignsEveryAttemptAfresh_AndReportsTheUrlAsGiven()
    {
        var requested = new ConcurrentQueue<Uri>();
        var answers = new Queue<HttpStatusCode>([HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK]);
        using var http = new HttpClient(Answering.Of(request =>
        {
            requested.Enqueue(request.RequestUri!);
            return Reply(answers.Dequeue());
        }));
        var options = new WarmOptions { BaseDelay = TimeSpan.FromSeconds(10), Signing = new WarmSigning("warm-key", "warm-token", 60) };
        var warmer = new Warmer(http, options, _time, new Random(1));

        var run = warmer.WarmAsync(["https://cdn/v2/demo/t.resize(w:300)/a.jpg"], null, default);
        await AdvanceUntilAsync(run);
        var result = Assert.Single(await run);

        Assert.True(result.Succeeded);
        Assert.Equal("https://cdn/v2/demo/t.resize(w:300)/a.jpg", result.Url);
        var keys = new CdnProxy.Urls.Security.SigningKeyRing([new("warm-key", "warm-token")]);
        var attempts = requested.ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.NotEqual(attempts[0].Query, attempts[1].Query); // the retry, ~10 s later, has its own pbe
        Assert.Equal(
            CdnProxy.Urls.Security.SignatureStatus.Valid,
            CdnProxy.Urls.Security.SignatureVerifier.Verify(attempts[1].AbsolutePath, attempts[1].Query, keys, _time).Status);
    }

    [Fact]
    public async Task Signing_AUrlThatCannotBeSigned_FailsWithoutARequest()
    {
        var calls = 0;
        using var http = new HttpClient(Answering.Of(_ => { calls++; return Reply(HttpStatusCode.OK); }));
        var warmer = new Warmer(http, new WarmOptions { Signing = new WarmSigning("warm-key", "warm-token", 60) }, _time);

        var result = Assert.Single(await warmer.WarmAsync(["https://cdn/v2/demo/original/a.jpg?pbs=00&pbe=1&pbt=x"], null, default));

        Assert.Equal((false, 0, 0), (result.Succeeded, result.Attempts, calls));
        Assert.Equal("could not sign: URL already has a signature", result.Error);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task ClientErrors_AreNotRetried(HttpStatusCode status)
    {
        var calls = 0;
        using var http = new HttpClient(Answering.Of(_ => { calls++; return Reply(status); }));
        var warmer = new Warmer(http, new WarmOptions(), _time);

        var result = Assert.Single(await warmer.WarmAsync(["https://cdn/a.jpg"], null, default));

        Assert.Equal((false, 1, 1, (int)status), (result.Succeeded, result.Attempts, calls, result.Status!.Value));
    }

    [Fact]
    public async Task AlwaysFailing_StopsAfterTheRetries_WithTheLastError()
    {
        var calls = 0;
        using var http = new HttpClient(Answering.Of(_ => { calls++; throw new HttpRequestException("connection refused"); }));
        var warmer = new Warmer(http, new WarmOptions { Retries = 2 }, _time);

        var run = warmer.WarmAsync(["https://cdn/a.jpg"], null, default);
        await AdvanceUntilAsync(run);
        var result = Assert.Single(await run);

        Assert.Equal((false, 3, 3, "connection refused"), (result.Succeeded, result.Attempts, calls, result.Error));
    }

    [Fact]
    public async Task Concurrency_IsBounded_AndEveryUrlIsAnsweredInOrder()
    {
        var running = 0;
        var most = 0;
        var seen = new ConcurrentBag<string>();
        using var http = new HttpClient(new Answering(async request =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(5);
            seen.Add(request.RequestUri!.AbsoluteUri);
            Interlocked.Decrement(ref running);
            return Reply(HttpStatusCode.OK);
        }));
        var urls = Enumerable.Range(0, 40).Select(i => $"https://cdn/{i}.jpg").Append("not a url").ToList();
        var warmer = new Warmer(http, new WarmOptions { Concurrency = 3 }, TimeProvider.System);

        var results = await warmer.WarmAsync(urls, null, default);

        Assert.InRange(most, 1, 3);
        Assert.Equal(urls, results.Select(r => r.Url));
        Assert.Equal(40, seen.Count);
        Assert.Equal("not an absolute http(s) URL", results[^1].Error);
        Assert.Equal(40, new WarmReport(results).Succeeded);
        Assert.Equal(1, new WarmReport(results).Failed);
    }

    [Theory]
    [InlineData("cache;dur=0.1", "hit")]
    [InlineData("cache;dur=0.1, fetch;dur=3, render;dur=20, encode;dur=4, store;dur=0.2", "miss")]
    [InlineData(null, "unknown")]
    public void CacheOutcome_IsReadFromServerTiming(string? timing, string expected)
    {
        using var response = Reply(HttpStatusCode.OK);
        if (timing is not null)
        {
            response.Headers.Add("Server-Timing", timing);
        }

        Assert.Equal(expected, CacheOutcome.Of(response));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>
    /// Until the run ends, moves the fake clock on by each wait the warmer starts, once it has started it: stepping the
    /// clock on a timer of its own instead also counted, on a busy machine, steps taken while the warmer was still
    /// handling an answer, and the reported time overshot its bound.
    /// </summary>
    private async Task AdvanceUntilAsync(Task run)
    {
        while (true)
        {
            var wait = _time.Waits.Reader.ReadAsync().AsTask();
            if (await Task.WhenAny(run, wait).WaitAsync(TimeSpan.FromSeconds(60)) == run)
            {
                return;
            }

            _time.Advance(await wait);
        }
    }

    /// <summary>A fake clock that reports each one-shot timer shorter than a request's timeout: the warmer's back-off waits.</summary>
    private sealed class WaitReportingTime : FakeTimeProvider
    {
        public Channel<TimeSpan> Waits { get; } = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (period == Timeout.InfiniteTimeSpan && dueTime < new WarmOptions().RequestTimeout)
            {
                Waits.Writer.TryWrite(dueTime);
            }

            return timer;
        }
    }

    private static HttpResponseMessage Reply(HttpStatusCode status, int? retryAfterSeconds = null)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(new byte[10]) };
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }

        return response;
    }
}
