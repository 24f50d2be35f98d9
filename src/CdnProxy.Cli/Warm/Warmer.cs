namespace CdnProxy.Cli.Warm;

/// <summary>How a warm-up requests: in parallel up to <see cref="Concurrency"/>, retrying what may pass later.</summary>
public sealed record WarmOptions
{
    public int Concurrency { get; init; } = 8;

    /// <summary>Retries after the first attempt, for 408, 429, 5xx, time-outs and network errors (never other 4xx).</summary>
    public int Retries { get; init; } = 3;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest <see cref="RequestTimeout"/>: no render should take an hour.</summary>
    public static TimeSpan MaxRequestTimeout { get; } = TimeSpan.FromHours(1);

    /// <summary>The first retry's delay; each next one doubles, with jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between attempts, a server's <c>Retry-After</c> included.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Signs each request when the cloud requires signed URLs; none: URLs are requested as given.</summary>
    public WarmSigning? Signing { get; init; }

    public void Validate()
    {
        Signing?.Validate();

        if (Concurrency is < 1 or > 256)
        {
            throw new ArgumentException($"--concurrency must be a whole number from 1 to 256; got {Concurrency}");
        }

        if (Retries is < 0 or > 10)
        {
            throw new ArgumentException($"--retries must be a whole number from 0 to 10; got {Retries}");
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > MaxRequestTimeout)
        {
            throw new ArgumentException($"--timeout must be more than 0 and at most {MaxRequestTimeout.TotalSeconds} seconds");
        }
    }
}

/// <summary>What one URL's warm-up came to.</summary>
public sealed record WarmResult(string Url, int? Status, long Bytes, double Milliseconds, int Attempts, string Cache, string? Error)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// Requests URLs so that a CDN renders and caches them: bounded concurrency, bodies read and dropped, retries with
/// exponential back-off and jitter (a <c>Retry-After</c> is honoured), the cache outcome read from the answer.
/// </summary>
public sealed class Warmer(HttpClient http, WarmOptions options, TimeProvider time, Random? jitter = null)
{
    private readonly Random _jitter = jitter ?? Random.Shared;

    public async Task<IReadOnlyList<WarmResult>> WarmAsync(IReadOnlyList<string> urls, IProgress<WarmResult>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(urls);
        options.Validate();
        var results = new WarmResult[urls.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, urls.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                results[i] = WarmTargets.IsRequestable(urls[i])
                    ? await WarmOneAsync(urls[i], token).ConfigureAwait(false)
                    : new WarmResult(urls[i], null, 0, 0, 0, CacheOutcome.Unknown, "not an absolute http(s) URL");
                progress?.Report(results[i]);
            }).ConfigureAwait(false);
        return results;
    }

    private async Task<WarmResult> WarmOneAsync(string url, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            int? status = null;
            long bytes = 0;
            var cache = CacheOutcome.Unknown;
            string? error;
            TimeSpan? retryAfter = null;
            if (!TrySign(url, out var target, out var signingError))
            {
                return new WarmResult(url, null, 0, Elapsed(started), attempt - 1, cache, signingError);
            }

            using (var timeout = new CancellationTokenSource(options.RequestTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    using var response = await http.GetAsync(target, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                    status = (int)response.StatusCode;
                    bytes = await DrainAsync(response, linked.Token).ConfigureAwait(false);
                    cache = CacheOutcome.Of(response);
                    if (response.IsSuccessStatusCode)
                    {
                        return new WarmResult(url, status, bytes, Elapsed(started), attempt, cache, null);
                    }

                    error = $"HTTP {status}";
                    retryAfter = RetryAfter(response);
                    if (status is not (408 or 429 or >= 500))
                    {
                        return new WarmResult(url, status, bytes, Elapsed(started), attempt, cache, error);
                    }
                }
                catch (HttpRequestException e)
                {
                    error = e.Message;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    error = "timed out";
                }
            }

            if (attempt > options.Retries)
            {
                return new WarmResult(url, status, bytes, Elapsed(started), attempt, cache, error);
            }

            await Task.Delay(Delay(attempt, retryAfter), time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Signed at each attempt, so a retry after a long wait never carries an expired signature. Reports keep the URL as given.
    private bool TrySign(string url, out string target, out string? error)
    {
        error = null;
        target = url;
        if (options.Signing is not { } signing)
        {
            return true;
        }

        try
        {
            target = signing.Sign(url, time);
            return true;
        }
        catch (ArgumentException e)
        {
            error = "could not sign: " + ErrorText.Of(e);
            return false;
        }
    }

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1: the server's word, else 2^(n−1) × base, jittered ±25 %.</summary>
    internal TimeSpan Delay(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
        {
            return asked < options.MaxDelay ? asked : options.MaxDelay;
        }

        var backoff = options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.75 + (_jitter.NextDouble() / 2));
        return TimeSpan.FromMilliseconds(Math.Min(backoff, options.MaxDelay.TotalMilliseconds));
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };

    private static async Task<long> DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total;
        }
    }

    private double Elapsed(long started) => time.GetElapsedTime(started).TotalMilliseconds;
}

/// <summary>Whether an answer came from the CDN's cache: CdnProxy's <c>Server-Timing</c> stages, or a CDN's <c>X-Cache</c>.</summary>
public static class CacheOutcome
{
    public const string Hit = "hit";
    public const string Miss = "miss";
    public const string Unknown = "unknown";

    public static string Of(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues("Server-Timing", out var timings))
        {
            // CdnProxy names every stage it ran: a hit is the cache stage alone; a render means it was not cached.
            var stages = timings.SelectMany(t => t.Split(',')).Select(t => t.Split(';')[0].Trim()).ToList();
            if (stages.Contains("render"))
            {
                return Miss;
            }

            if (stages.Count > 0 && stages.All(s => s == "cache"))
            {
                return Hit;
            }
        }

        if (response.Headers.TryGetValues("X-Cache", out var xcache))
        {
            var value = string.Join(',', xcache);
            return value.Contains("HIT", StringComparison.OrdinalIgnoreCase) ? Hit
                : value.Contains("MISS", StringComparison.OrdinalIgnoreCase) ? Miss : Unknown;
        }

        return Unknown;
    }
}
