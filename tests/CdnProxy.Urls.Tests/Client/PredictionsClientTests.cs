using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CdnProxy.Urls.Client.Predictions;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Urls.Tests.Client;

/// <summary>
/// The polling of <see cref="Predictions"/> against a scripted server on a <see cref="FakeTimeProvider"/>: when each
/// GET is made, the bounds and back-off of the wait, transient and final failures, cancellation.
/// </summary>
public sealed class PredictionsClientTests : IDisposable
{
    private readonly SignallingTime _time = new();
    private readonly ScriptedServer _server = new();
    private readonly HttpClient _http;

    public PredictionsClientTests()
    {
        _http = new HttpClient(_server);
    }

    private Predictions Client => new(_http, new Uri("https://cdn.example.com/"), "secret-key", _time);

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task Wait_PollsEveryInterval_GrowingByTheFactor_UntilSuccess()
    {
        _server.Answers.Enqueue(Status("ACCEPTED"));
        _server.Answers.Enqueue(Status("PROCESSING"));
        _server.Answers.Enqueue(Status("SUCCESS", ""","output":["https://cdn.example.com/v2/uploads/original/jobs/1/outputs/result_0.png"]"""));

        var wait = Client.WaitAsync("enhance--magic--1", new PredictionWaitOptions { RetryInterval = TimeSpan.FromSeconds(2), RetryFactor = 1.5 });
        var first = await _server.NextAsync();
        await _time.NextTimerAsync();
        _time.Advance(TimeSpan.FromSeconds(1.9));
        var early = _server.Requests.Reader.TryRead(out _);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await _server.NextAsync();
        await _time.NextTimerAsync();
        _time.Advance(TimeSpan.FromSeconds(2.9));
        var early2 = _server.Requests.Reader.TryRead(out _);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await _server.NextAsync();
        var done = await wait;

        Assert.Equal((HttpMethod.Get, "https://cdn.example.com/api/v1/predictions/enhance--magic--1"), (first.Method, first.Uri));
        Assert.Equal("Bearer secret-key", first.Authorization);
        Assert.False(early);
        Assert.False(early2);
        Assert.Equal(Prediction.Success, done.Status);
        Assert.True(done.IsDone);
        Assert.Equal("/v2/uploads/original/jobs/1/outputs/result_0.png", Assert.Single(done.Output).AbsolutePath);
    }

    [Fact]
    public async Task Wait_StopsAfterMaxAttempts_ReturningTheLastStatus_AndClampsTheInterval()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Answers.Enqueue(Status("PROCESSING"));
        }

        var wait = Client.WaitAsync("x--y--1", new PredictionWaitOptions { RetryInterval = TimeSpan.FromMilliseconds(10), MaxAttempts = 3 });
        await _server.NextAsync();
        await _time.NextTimerAsync();
        _time.Advance(TimeSpan.FromSeconds(0.9));
        var early = _server.Requests.Reader.TryRead(out _);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await _server.NextAsync();
        await _time.NextTimerAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        await _server.NextAsync();
        var last = await wait;

        Assert.False(early);
        Assert.Equal(Prediction.Processing, last.Status);
        Assert.False(last.IsDone);
        Assert.Empty(last.Output);
        Assert.Equal(3, _server.Count);
    }

    [Fact]
    public async Task Wait_NeverWaitsLongerThanAMinute_WhateverTheFactor()
    {
        _server.Answers.Enqueue(Status("ACCEPTED"));
        _server.Answers.Enqueue(Status("ACCEPTED"));
        _server.Answers.Enqueue(Status("FAILURE", ""","error":"The original could not be decoded" """));

        var wait = Client.WaitAsync("x--y--1", new PredictionWaitOptions { RetryInterval = TimeSpan.FromSeconds(40), RetryFactor = 10 });
        await _server.NextAsync();
        await _time.NextTimerAsync();
        _time.Advance(TimeSpan.FromSeconds(40));
        await _server.NextAsync();
        await _time.NextTimerAsync();
        _time.Advance(TimeSpan.FromSeconds(60));
        await _server.NextAsync();
        var done = await wait;

        Assert.Equal((Prediction.Failure, "The original could not be decoded"), (done.Status, done.Error));
    }

    [Fact]
    public async Task Wait_TransientFailuresUseAnAttempt_OthersAreThrownAtOnce()
    {
        _server.Answers.Enqueue(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("{}") });
        _server.Answers.Enqueue(new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"error":{"code":"not_found"}}""") });

        var wait = Client.WaitAsync("x--y--1", new PredictionWaitOptions { RetryInterval = TimeSpan.FromSeconds(1) });
        await _server.NextAsync();
        await _time.NextTimerAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        await _server.NextAsync();
        var failure = await Assert.ThrowsAsync<PredictionException>(() => wait);

        Assert.Equal(404, failure.Status);
        Assert.Contains("not_found", failure.Body, StringComparison.Ordinal);
        Assert.Equal(2, _server.Count);
    }

    [Fact]
    public async Task Wait_TheLastAttemptsTransientFailure_IsThrown()
    {
        _server.Answers.Enqueue(new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("{}") });

        var failure = await Assert.ThrowsAsync<PredictionException>(() => Client.WaitAsync("x--y--1", new PredictionWaitOptions { MaxAttempts = 1 }));

        Assert.Equal(502, failure.Status);
    }

    [Fact]
    public async Task Wait_IsCancelledBetweenPolls()
    {
        _server.Answers.Enqueue(Status("ACCEPTED"));
        using var cancel = new CancellationTokenSource();

        var wait = Client.WaitAsync("x--y--1", cancellationToken: cancel.Token);
        await _server.NextAsync();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Equal(1, _server.Count);
    }

    [Fact]
    public async Task Create_PostsNameInputWebhook_AndChecksTheNameFirst()
    {
        _server.Answers.Enqueue(Status("ACCEPTED"));
        var input = new JsonObject { ["image"] = Predictions.DataUri([1, 2, 3], "image/png"), ["ai"] = 2 };

        var created = await Client.CreateAsync("enhance_magic", input, new Uri("https://hooks.example.com/p"), "retry-1");
        var request = await _server.NextAsync();
        var body = JsonNode.Parse(request.Body!)!;

        Assert.Equal((HttpMethod.Post, "https://cdn.example.com/api/v1/predictions"), (request.Method, request.Uri));
        Assert.Equal("retry-1", request.IdempotencyKey);
        Assert.Equal(("enhance_magic", "data:image/png;base64,AQID", 2, "https://hooks.example.com/p"),
            ((string?)body["name"], (string?)body["input"]!["image"], (int?)body["input"]!["ai"], (string?)body["webhook"]));
        Assert.Equal((Prediction.Accepted, "x--y--1"), (created.Status, created.Id));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.CreateAsync("magic", input));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.CreateAsync("a_b_c", input));
        Assert.Equal(1, _server.Count);
    }

    [Theory]
    [InlineData("https://example.com/cdn")]
    [InlineData("https://example.com/cdn/")]
    public async Task ServerWithAPathPrefix_IsAskedUnderIt_WithOrWithoutATrailingSlash(string server)
    {
        _server.Answers.Enqueue(Status("SUCCESS"));

        await new Predictions(_http, new Uri(server), "secret-key", _time).GetAsync("x--y--1");

        Assert.Equal("https://example.com/cdn/api/v1/predictions/x--y--1", (await _server.NextAsync()).Uri);
    }

    private static HttpResponseMessage Status(string status, string more = "") => new(HttpStatusCode.OK)
    {
        Content = new StringContent($$"""{"_id":"x--y--1","status":"{{status}}"{{more}}}""", Encoding.UTF8, "application/json"),
    };

    /// <summary>A fake clock that tells when a timer starts (the client's wait between polls has begun).</summary>
    private sealed class SignallingTime : FakeTimeProvider
    {
        private readonly Channel<bool> _timers = Channel.CreateUnbounded<bool>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timers.Writer.TryWrite(true);
            return timer;
        }

        public async Task NextTimerAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _timers.Reader.ReadAsync(timeout.Token);
        }
    }

    /// <summary>What the client sent.</summary>
    private sealed record SentRequest(HttpMethod Method, string Uri, string? Authorization, string? IdempotencyKey, string? Body);

    /// <summary>Answers with the queued responses in order and hands each request to the test.</summary>
    private sealed class ScriptedServer : HttpMessageHandler
    {
        private int _count;

        public Queue<HttpResponseMessage> Answers { get; } = new();

        public Channel<SentRequest> Requests { get; } = Channel.CreateUnbounded<SentRequest>();

        public int Count => Volatile.Read(ref _count);

        /// <summary>The next request (a safety timeout only: the test's times are the fake clock's).</summary>
        public async Task<SentRequest> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await Requests.Reader.ReadAsync(timeout.Token);
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var idempotency = request.Headers.TryGetValues("Idempotency-Key", out var values) ? values.Single() : null;
            HttpResponseMessage answer;
            lock (Answers)
            {
                answer = Answers.Dequeue();
            }

            await Requests.Writer.WriteAsync(
                new SentRequest(request.Method, request.RequestUri!.AbsoluteUri, request.Headers.Authorization?.ToString(), idempotency, body), cancellationToken);
            return answer;
        }
    }
}
