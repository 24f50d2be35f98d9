using System.Net;
using CdnProxy.Core.Jobs;
using CdnProxy.Server.Jobs.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StandardWebhooks;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>Webhook delivery on an injected clock: the retry schedule, the signature (checked by the stock Standard Webhooks library), the final failure.</summary>
public sealed class WebhookDispatcherTests : IDisposable
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private readonly string _folder = Directory.CreateTempSubdirectory("cdnproxy-hooks-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow); // the stock verifier checks timestamps against the wall clock

    [Fact]
    public async Task AReceiverAnswering500Twice_GetsThreeSignedDeliveries_10sAnd60sApart()
    {
        var receiver = new Receiver(HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK);
        var (store, dispatcher) = await StartAsync(receiver);

        await DeliverForSecondsAsync(dispatcher, 300);

        Assert.Equal(3, receiver.Calls.Count);
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)], receiver.Calls.Zip(receiver.Calls.Skip(1), (a, b) => b.At - a.At));
        var verifier = new StandardWebhook(Secret);
        Assert.All(receiver.Calls, call => verifier.Verify(call.Body, call.Headers)); // throws when the signature is wrong
        Assert.All(receiver.Calls, call => Assert.Equal("hook", call.Headers["webhook-id"]));
        Assert.Equal("{\"id\":\"hook\"}", receiver.Calls[0].Body);
        var job = await store.GetAsync("hook", default);
        Assert.Equal((WebhookState.Delivered, 3), (job!.Webhook, job.WebhookAttempts));
    }

    [Fact]
    public async Task AReceiverThatAlwaysFails_GetsFourAttempts_ThenTheDeliveryIsRecordedFailed()
    {
        var receiver = new Receiver(Enumerable.Repeat(HttpStatusCode.BadGateway, 10).ToArray());
        var (store, dispatcher) = await StartAsync(receiver);

        await DeliverForSecondsAsync(dispatcher, 600);

        Assert.Equal([0, 10, 70, 190], receiver.Calls.Select(c => (int)(c.At - receiver.Calls[0].At).TotalSeconds));
        var job = await store.GetAsync("hook", default);
        Assert.Equal((WebhookState.Failed, 4), (job!.Webhook, job.WebhookAttempts));
    }

    [Fact]
    public async Task ARedirect_IsNotADelivery_ItIsRetried()
    {
        // Redirects are not followed (a callback could point the server anywhere), so the receiver never got the body.
        var receiver = new Receiver(HttpStatusCode.Found, HttpStatusCode.OK);
        var (store, dispatcher) = await StartAsync(receiver);

        await DeliverForSecondsAsync(dispatcher, 60);

        Assert.Equal(2, receiver.Calls.Count);
        var job = await store.GetAsync("hook", default);
        Assert.Equal((WebhookState.Delivered, 2), (job!.Webhook, job.WebhookAttempts));
    }

    [Fact]
    public async Task ASlowReceiver_DoesNotHoldBackAnotherDelivery()
    {
        using var receiver = new HoldingReceiver();
        var (store, dispatcher) = await StartEndedAsync(receiver, [("slow", "key:a", "slow"), ("fast", "key:a", "fast")]); // the slow one is claimed first

        var delivering = dispatcher.DeliverDueAsync(default);

        // Delivered while the slow receiver still holds its request (one at a time, it waited for it).
        await receiver.FastCalled.Task.WaitAsync(TimeSpan.FromSeconds(60)); // attempts time out on the fake clock: never, here
        Assert.False(delivering.IsCompleted);
        receiver.ReleaseSlow.SetResult();
        Assert.Equal(2, await delivering.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal((WebhookState.Delivered, WebhookState.Delivered), ((await store.GetAsync("slow", default))!.Webhook, (await store.GetAsync("fast", default))!.Webhook));
    }

    [Fact]
    public async Task OneKeysSlowReceivers_DoNotHoldBackAnotherKeysDelivery()
    {
        var slow = Enumerable.Range(0, WebhookDispatcher.MaxConcurrentDeliveries + 1).Select(i => ($"slow{i}", "key:a", "slow"));
        using var receiver = new HoldingReceiver();
        var (_, dispatcher) = await StartEndedAsync(receiver, [.. slow, ("fast", "key:b", "fast")]); // the slow ones are claimed first

        var delivering = dispatcher.DeliverDueAsync(default);

        // Before, key:a's receivers held every slot and key:b's delivery waited for them.
        await receiver.FastCalled.Task.WaitAsync(TimeSpan.FromSeconds(60)); // attempts time out on the fake clock: never, here
        receiver.ReleaseSlow.SetResult();
        Assert.Equal(WebhookDispatcher.MaxConcurrentDeliveries + 2, await delivering.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.InRange(receiver.MostSlowHeld, 1, WebhookDispatcher.MaxConcurrentDeliveriesPerOwner);
    }

    [Fact]
    public async Task AHeldAttempt_TimesOutAfter10sOnTheDispatchersClock_AndIsDueAgain10sLater()
    {
        using var receiver = new HoldingReceiver();
        var (store, dispatcher) = await StartEndedAsync(receiver, [("slow", "key:a", "slow")]);
        var delivering = dispatcher.DeliverDueAsync(default);
        var held = await receiver.SlowCalled.Task.WaitAsync(TimeSpan.FromSeconds(60));

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(held.IsCancellationRequested);
        _time.Advance(TimeSpan.FromSeconds(1)); // fires the attempt's timer, which cancels the request at once
        Assert.True(held.IsCancellationRequested);

        Assert.Equal(1, await delivering.WaitAsync(TimeSpan.FromSeconds(60)));
        var job = (await store.GetAsync("slow", default))!;
        Assert.Equal((WebhookState.Pending, 1), (job.Webhook, job.WebhookAttempts));
        Assert.InRange(job.WebhookDue!.Value, _time.GetUtcNow() + WebhookDispatcher.RetryDelays[0] - TimeSpan.FromSeconds(1), _time.GetUtcNow() + WebhookDispatcher.RetryDelays[0]);
    }

    [Fact]
    public async Task DeliveriesThatEndAtOnce_AreEachCounted()
    {
        // A receiver answering synchronously makes each delivery end before it is tracked: they all returned the one
        // cached completed task, and tracking them by task threw on the second ("same key has already been added").
        var jobs = Enumerable.Range(0, 5).Select(i => ($"now{i}", $"key:{i % 2}", "now")).ToArray();
        var (store, dispatcher) = await StartEndedAsync(new AnsweringAtOnce(), jobs);

        Assert.Equal(jobs.Length, await dispatcher.DeliverDueAsync(default));
        foreach (var (id, _, _) in jobs)
        {
            Assert.Equal(WebhookState.Delivered, (await store.GetAsync(id, default))!.Webhook);
        }
    }

    /// <summary>A store holding these ended jobs, in this order a second apart, each owing a webhook to <c>/{path}</c>.</summary>
    private async Task<(SqliteJobStore, WebhookDispatcher)> StartEndedAsync(HttpMessageHandler receiver, (string Id, string Owner, string Path)[] jobs)
    {
        var store = new SqliteJobStore(Path.Combine(_folder, "jobs.db"));
        await store.InitializeAsync(default);
        foreach (var (id, owner, path) in jobs)
        {
            await store.CreateAsync(JobStoreContractTests.Job(id, _time.GetUtcNow(), owner, callback: $"http://receiver.test/{path}"), null, null, _time.GetUtcNow(), default);
            var claimed = await store.ClaimAsync("w", _time.GetUtcNow(), TimeSpan.FromSeconds(30), default);
            await store.FinishAsync(claimed!.Id, "w", JobOutcome.Complete("{}"), _time.GetUtcNow(), default);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        return (store, new WebhookDispatcher(store, new HttpClient(receiver), new WebhookSigner(Secret), [new IdView()], _time, NullLogger<WebhookDispatcher>.Instance));
    }

    private async Task<(SqliteJobStore, WebhookDispatcher)> StartAsync(Receiver receiver)
    {
        var store = new SqliteJobStore(Path.Combine(_folder, "jobs.db"));
        await store.InitializeAsync(default);
        await store.CreateAsync(JobStoreContractTests.Job("hook", _time.GetUtcNow(), callback: "http://receiver.test/hook"), null, null, _time.GetUtcNow(), default);
        await store.ClaimAsync("w", _time.GetUtcNow(), TimeSpan.FromSeconds(30), default);
        await store.FinishAsync("hook", "w", JobOutcome.Complete("{}"), _time.GetUtcNow(), default);
        var dispatcher = new WebhookDispatcher(store, new HttpClient(receiver), new WebhookSigner(Secret), [new IdView()], _time, NullLogger<WebhookDispatcher>.Instance);
        receiver.Clock = _time;
        return (store, dispatcher);
    }

    /// <summary>Steps the fake clock a second at a time, delivering whatever is due at each step.</summary>
    private async Task DeliverForSecondsAsync(WebhookDispatcher dispatcher, int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            await dispatcher.DeliverDueAsync(default);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class IdView : IJobView
    {
        public string Kind => "test";

        public string Render(JobRecord job) => $"{{\"id\":\"{job.Id}\"}}";
    }

    /// <summary>Holds <c>/slow</c> until released; answers <c>/fast</c> at once.</summary>
    private sealed class HoldingReceiver : HttpMessageHandler
    {
        public TaskCompletionSource FastCalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleaseSlow { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set when the first <c>/slow</c> request arrives, with the cancellation that request got.</summary>
        public TaskCompletionSource<CancellationToken> SlowCalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private readonly Lock _gate = new();
        private int _slowHeld;
        private int _mostSlowHeld;

        /// <summary>The most <c>/slow</c> requests held at once.</summary>
        public int MostSlowHeld => Volatile.Read(ref _mostSlowHeld);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath == "/slow")
            {
                var held = Interlocked.Increment(ref _slowHeld);
                lock (_gate)
                {
                    _mostSlowHeld = Math.Max(_mostSlowHeld, held);
                }

                SlowCalled.TrySetResult(cancellationToken);

                await ReleaseSlow.Task.WaitAsync(cancellationToken);
                Interlocked.Decrement(ref _slowHeld);
            }
            else
            {
                FastCalled.TrySetResult();
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    /// <summary>Answers 200 without awaiting anything.</summary>
    private sealed class AnsweringAtOnce : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }

    private sealed class Receiver(params HttpStatusCode[] answers) : HttpMessageHandler
    {
        public TimeProvider Clock { get; set; } = TimeProvider.System;

        public List<(DateTimeOffset At, string Body, HeaderDictionary Headers)> Calls { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = new HeaderDictionary();
            foreach (var (name, values) in request.Headers)
            {
                headers[name] = string.Join(",", values);
            }

            Calls.Add((Clock.GetUtcNow(), await request.Content!.ReadAsStringAsync(cancellationToken), headers));
            return new HttpResponseMessage(answers[Calls.Count - 1]);
        }
    }
}
