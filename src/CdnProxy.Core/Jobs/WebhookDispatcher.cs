using System.Text;
using Microsoft.Extensions.Logging;

namespace CdnProxy.Core.Jobs;

/// <summary>
/// Delivers the webhooks of ended jobs: POSTs the job as its face renders it, signed (<see cref="WebhookSigner"/>);
/// a status other than 2xx or a network failure is retried after 10 s, 1 min and 2 min (Pixble's schedule), then
/// recorded as failed on the job. The schedule lives in the store, so deliveries survive restarts, and a delivery is
/// leased like a job, so one replica sends it. The message id is the job's id, the same on every attempt.
/// </summary>
public sealed class WebhookDispatcher
{
    /// <summary>Waits before the 2nd, 3rd and 4th attempt.</summary>
    public static readonly IReadOnlyList<TimeSpan> RetryDelays = [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)];

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DeliveryLease = TimeSpan.FromSeconds(30);

    private readonly IJobStore _store;
    private readonly HttpClient _http;
    private readonly WebhookSigner? _signer;
    private readonly Dictionary<string, IJobView> _views;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;

    /// <summary>
    /// <paramref name="http"/> is bound to the SSRF policy for callbacks (redirects off); <paramref name="signer"/> is null
    /// when no secret is configured (jobs with a callback are then refused when created).
    /// </summary>
    public WebhookDispatcher(IJobStore store, HttpClient http, WebhookSigner? signer, IEnumerable<IJobView> views, TimeProvider time, ILogger<WebhookDispatcher> logger)
    {
        _store = store;
        _http = http;
        _signer = signer;
        _views = views.ToDictionary(v => v.Kind, StringComparer.Ordinal);
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Deliveries in flight at once. An attempt may take its whole 10 s: one at a time, a slow receiver held back every
    /// other tenant's webhooks (a receiver that sleeps delayed another key's by 7.7 s).
    /// </summary>
    public const int MaxConcurrentDeliveries = 8;

    /// <summary>
    /// Deliveries of one owner (API key) in flight at once: one key's slow receivers took all
    /// <see cref="MaxConcurrentDeliveries"/> and every other key's webhooks waited up to 10 s per round behind them.
    /// </summary>
    public const int MaxConcurrentDeliveriesPerOwner = 2;

    /// <summary>Sends every delivery due now (up to <see cref="MaxConcurrentDeliveries"/> at once); returns how many attempts were made.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var attempts = 0;
        var running = new InFlight();
        while (true)
        {
            attempts += await StartDueAsync(running, cancellationToken).ConfigureAwait(false);
            if (running.Count == 0)
            {
                return attempts;
            }

            var done = await Task.WhenAny(running.Tasks).ConfigureAwait(false);
            running.Remove(done);
            await done.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Delivers until stopped: claims what is due whenever a delivery ends or <paramref name="interval"/> passes, so a
    /// new delivery never waits for a slow one to end.
    /// </summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken stopping)
    {
        var running = new InFlight();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await StartDueAsync(running, stopping).ConfigureAwait(false);
                await Task.WhenAny([.. running.Tasks, Task.Delay(interval, _time, stopping)]).ConfigureAwait(false);
                foreach (var done in running.Tasks.Where(t => t.IsCompleted).ToList())
                {
                    running.Remove(done);
                    await done.ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // a store outage must not end delivery: it retries after the interval (the lease frees the claim)
            catch (Exception e)
#pragma warning restore CA1031
            {
                JobLog.JobStoreFailed(_logger, e);
                await Task.Delay(interval, _time, stopping).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(running.Tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims due deliveries and starts them until <see cref="MaxConcurrentDeliveries"/> run, skipping owners that have
    /// <see cref="MaxConcurrentDeliveriesPerOwner"/> in flight; returns how many started.
    /// </summary>
    private async Task<int> StartDueAsync(InFlight running, CancellationToken cancellationToken)
    {
        var started = 0;
        while (running.Count < MaxConcurrentDeliveries
            && await _store.ClaimWebhookAsync(_time.GetUtcNow(), DeliveryLease, running.BusyOwners(), cancellationToken).ConfigureAwait(false) is { } job)
        {
            running.Add(DeliverAsync(job, cancellationToken), job.Owner);
            started++;
        }

        return started;
    }

    /// <summary>
    /// The deliveries in flight and whose they are; used by one loop only. A list, not a dictionary keyed by task:
    /// deliveries that complete synchronously all return the runtime's one cached completed task.
    /// </summary>
    private sealed class InFlight
    {
        private readonly List<(Task Delivery, string Owner)> _entries = [];

        public int Count => _entries.Count;

        public IEnumerable<Task> Tasks => _entries.Select(e => e.Delivery);

        public void Add(Task delivery, string owner) => _entries.Add((delivery, owner));

        /// <summary>Removes one entry of <paramref name="delivery"/>.</summary>
        public void Remove(Task delivery) => _entries.RemoveAt(_entries.FindIndex(e => ReferenceEquals(e.Delivery, delivery)));

        public IReadOnlyCollection<string> BusyOwners() =>
            [.. _entries.CountBy(e => e.Owner, StringComparer.Ordinal).Where(c => c.Value >= MaxConcurrentDeliveriesPerOwner).Select(c => c.Key)];
    }

    /// <summary>One attempt at one delivery, and its outcome recorded: delivered, due again later, or failed for good.</summary>
    private async Task DeliverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var attempt = job.WebhookAttempts + 1;
        var failure = await SendAsync(job, cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            await _store.RecordWebhookAsync(job.Id, WebhookState.Delivered, attempt, null, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        JobLog.WebhookAttemptFailed(_logger, job.Id, attempt, failure);
        var more = attempt <= RetryDelays.Count;
        await _store.RecordWebhookAsync(
            job.Id,
            more ? WebhookState.Pending : WebhookState.Failed,
            attempt,
            more ? _time.GetUtcNow() + RetryDelays[attempt - 1] : null,
            CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>One attempt; null when delivered, else a short reason.</summary>
    private async Task<string?> SendAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (_signer is null || job.CallbackUrl is null || !_views.TryGetValue(job.Kind, out var view))
        {
            return "not deliverable";
        }

        var body = view.Render(job);
        using var request = new HttpRequestMessage(HttpMethod.Post, job.CallbackUrl)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in _signer.Headers(job.Id, _time.GetUtcNow(), body))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        // On the injected clock like the retry schedule: a held attempt ends when that clock says 10 s passed.
        using var attemptTime = new CancellationTokenSource(AttemptTimeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTime.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            // Only a 2xx is a delivery (Standard Webhooks): redirects are not followed, so a 3xx never reached the receiver.
            return response.IsSuccessStatusCode ? null : "status " + (int)response.StatusCode;
        }
        catch (HttpRequestException e)
        {
            return "network: " + e.HttpRequestError;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timeout";
        }
    }
}
