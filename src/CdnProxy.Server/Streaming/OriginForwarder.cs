using System.Net;
using CdnProxy.Core;
using CdnProxy.Server.Origins;
using CdnProxy.Server.Origins.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace CdnProxy.Server.Streaming;

/// <summary>
/// Streams one origin response to the client through YARP's <see cref="IHttpForwarder"/>, over an
/// <see cref="HttpMessageInvoker"/> on the origin's own named handler (so the SSRF check in its <c>ConnectCallback</c>
/// runs for every connection, and nothing is buffered as an <see cref="HttpClient"/> would). Only <c>Range</c> and the
/// conditional headers go to the origin; only the headers that describe the bytes come back. Anything but a file
/// (200/206/304) or the client's own range or precondition failing (416/412) is answered by the caller, never passed through: a redirect, a 404, an origin error.
/// </summary>
public sealed class OriginForwarder(IHttpForwarder forwarder, IHttpMessageHandlerFactory handlers, TimeProvider time)
{
    private static readonly string[] ForwardedRequestHeaders =
        ["Range", "If-Range", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since"];

    // Content-Type is not among them: it is copied only as one well-formed media type (see SingleMediaType).
    // Content-Encoding is: the bytes pass through as the origin encoded them, and the client must know how.
    private static readonly string[] CopiedResponseHeaders =
        ["Content-Length", "Content-Range", "Accept-Ranges", "ETag", "Last-Modified", "Content-Encoding"];

    private static readonly string[] ConditionalRequestHeaders = ["If-None-Match", "If-Modified-Since"];

    private static readonly string[] PreconditionRequestHeaders = ["If-Match", "If-Unmodified-Since"];

    /// <summary>
    /// YARP's activity timeout: longer than Kestrel lets one write to a slow client wait (its default
    /// MinResponseDataRate, 240 B/s after 5 s, over the ~128 KiB a write may have pending: about 9 min), so it never
    /// decides; the pace times the origin.
    /// </summary>
    private static readonly TimeSpan ClientWriteBackstop = TimeSpan.FromMinutes(30);

    /// <summary>Sends <paramref name="target"/> to the client when the origin answers with the file; otherwise writes nothing.</summary>
    public async Task<ForwardOutcome> ForwardAsync(HttpContext context, Uri target, ForwardSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(settings);
        var transformer = new StoredFileTransformer(target, settings, time);
        // The origin is held to its limits by the pace, which times only the waits on it; the writes to the client
        // in between are Kestrel's to judge (MinResponseDataRate). YARP's own activity timeout would time those
        // writes too, so it is only a backstop, past anything Kestrel lets one write take.
        using var pace = new OriginPace(settings.Pace, time);
        using var invoker = new HttpMessageInvoker(new PacedOriginHandler(handlers.CreateHandler(settings.HandlerName), pace), disposeHandler: false);
        var config = new ForwarderRequestConfig { ActivityTimeout = ClientWriteBackstop };
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, pace.Token);
        // Judged when the pace cuts: aborting the response after it cancels RequestAborted too.
        var cut = false;
        ForwarderError error;
        using (pace.Token.Register(() => cut = !context.RequestAborted.IsCancellationRequested))
        {
            error = await forwarder.SendAsync(context, target.GetLeftPart(UriPartial.Authority), invoker, config, transformer, linked.Token)
                .ConfigureAwait(false);
        }

        if (error == ForwarderError.None || context.Response.HasStarted)
        {
            // Sent, or failed mid-body: YARP has aborted the client's response then, nothing more can be said.
            return error != ForwarderError.None && cut
                ? new(ForwardResult.Cut, Error: new TimeoutException(pace.Describe()), Status: transformer.Outcome.Status)
                : transformer.Outcome;
        }

        var cause = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        ResetResponse(context);
        return error switch
        {
            _ when context.RequestAborted.IsCancellationRequested => new(ForwardResult.ClientGone),
            _ when cut => new(ForwardResult.TimedOut, Error: new TimeoutException($"No answer in time: {pace.Describe()}.", cause)),
            ForwarderError.RequestTimedOut => new(ForwardResult.TimedOut, Error: cause),
            _ when Has<OriginAddressRefusedException>(cause) => new(ForwardResult.Refused, Error: cause),
            _ when Has<TimeoutException>(cause) => new(ForwardResult.TimedOut, Error: cause),
            _ => new(ForwardResult.Failed, Error: cause),
        };
    }

    /// <summary>The error to answer for an outcome that sent nothing (logged here, with the origin's description).</summary>
    public static CdnException Failure(ForwardOutcome outcome, ILogger logger, string origin, string filePath)
    {
        ArgumentNullException.ThrowIfNull(logger);
        switch (outcome.Result)
        {
            case ForwardResult.Refused:
                OriginLog.Refused(logger, origin, filePath, outcome.Error?.Message ?? "refused");
                return new CdnException(CdnErrorKind.OriginRefused, "The original was not found");
            case ForwardResult.TimedOut:
                return OriginLog.Failure(logger, origin, filePath, CdnErrorKind.OriginTimeout, outcome.Error);
            case ForwardResult.Throttled:
                // A pause for the whole origin is OriginCooldowns' to start (capped there), as for a render's fetch.
                OriginLog.Throttled(logger, origin, (int?)outcome.Status ?? 0, outcome.RetryAfter?.TotalSeconds ?? 0);
                return new CdnException(CdnErrorKind.OriginThrottled, "The origin asked us to retry later")
                {
                    RetryAfter = outcome.RetryAfter,
                    CauseLogged = true,
                };
            default:
                var cause = outcome.Error ?? new HttpRequestException($"The origin answered {(int?)outcome.Status}.", null, outcome.Status);
                return OriginLog.Failure(logger, origin, filePath, CdnErrorKind.OriginFailed, cause);
        }
    }

    private static bool Has<T>(Exception? exception)
        where T : Exception
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is T || (inner is AggregateException aggregate && aggregate.InnerExceptions.Any(Has<T>)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether an origin status is a file to pass on for this request: 200 always; 206 and 416 only for a client that
    /// sent <c>Range</c>, 304 only for one that sent a condition, 412 only for one that sent a precondition (anything
    /// else would reach a client that cannot use it, with our public Cache-Control on it).
    /// </summary>
    private static bool Answers(IHeaderDictionary request, HttpStatusCode status) => status switch
    {
        HttpStatusCode.OK => true,
        HttpStatusCode.PartialContent or HttpStatusCode.RequestedRangeNotSatisfiable => request.ContainsKey("Range"),
        HttpStatusCode.NotModified => ConditionalRequestHeaders.Any(request.ContainsKey),
        HttpStatusCode.PreconditionFailed => PreconditionRequestHeaders.Any(request.ContainsKey),
        _ => false,
    };

    /// <summary>
    /// The origin's media type when it sent exactly one well-formed one; otherwise <c>application/octet-stream</c>.
    /// Two types (or <c>image/png, text/html</c>) would reach the browser as the last one, which our active-content
    /// check would not have judged.
    /// </summary>
    private static string SingleMediaType(IEnumerable<string> values)
    {
        var all = values.ToArray();
        return all.Length == 1 && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(all[0], out var parsed)
            && !all[0].Contains(',', StringComparison.Ordinal)
            ? parsed.ToString()
            : "application/octet-stream";
    }

    /// <summary>Undoes what the forwarder set from an answer we do not pass on, so the next attempt or our error starts clean.</summary>
    private static void ResetResponse(HttpContext context)
    {
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status200OK;
        if (context.Features.Get<IHttpResponseFeature>() is { } feature)
        {
            feature.ReasonPhrase = null;
        }
    }

    /// <summary>Builds the origin request from nothing but the target and the byte-range headers; copies back only what describes the bytes.</summary>
    private sealed class StoredFileTransformer(Uri target, ForwardSettings settings, TimeProvider time) : HttpTransformer
    {
        public ForwardOutcome Outcome { get; private set; } = new(ForwardResult.Failed);

        public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            // Not calling the base: it would copy every client header (cookies, authorization) to the origin.
            proxyRequest.RequestUri = target;
            var headers = httpContext.Request.Headers;
            foreach (var name in ForwardedRequestHeaders)
            {
                if (!settings.ForwardRange && name is "Range" or "If-Range")
                {
                    continue;
                }

                if (headers.TryGetValue(name, out var values))
                {
                    proxyRequest.Headers.TryAddWithoutValidation(name, values.ToString());
                }
            }

            proxyRequest.Headers.TryAddWithoutValidation("User-Agent", "CdnProxy");
            proxyRequest.Options.Set(OriginConnector.ConnectTimeoutOption, settings.ConnectTimeout);
            return ValueTask.CompletedTask;
        }

        public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
        {
            if (proxyResponse is null)
            {
                return new(false);
            }

            var status = proxyResponse.StatusCode;
            if (!Answers(httpContext.Request.Headers, status))
            {
                Outcome = status switch
                {
                    HttpStatusCode.NotFound or HttpStatusCode.Gone => new(ForwardResult.NotFound, Status: status),
                    HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect
                        or HttpStatusCode.PermanentRedirect => new(ForwardResult.Redirected, proxyResponse.Headers.Location, Status: status),
                    _ when OriginRetryAfter.Of(proxyResponse, time.GetUtcNow()) is { } wait => new(ForwardResult.Throttled, Status: status, RetryAfter: wait),
                    _ => new(ForwardResult.Failed, Status: status),
                };
                ResetResponse(httpContext);
                return new(false);
            }

            var response = httpContext.Response;
            foreach (var name in CopiedResponseHeaders)
            {
                if (proxyResponse.Headers.TryGetValues(name, out var values) || proxyResponse.Content.Headers.TryGetValues(name, out values))
                {
                    response.Headers[name] = values.ToArray();
                }
            }

            if (proxyResponse.Content.Headers.TryGetValues("Content-Type", out var types))
            {
                response.ContentType = SingleMediaType(types);
            }

            settings.ApplyHeaders(response);
            Outcome = new(ForwardResult.Sent, Status: status);
            if (status is HttpStatusCode.RequestedRangeNotSatisfiable or HttpStatusCode.PreconditionFailed)
            {
                // The origin's body for a 416 or 412 is its own error page: not ours to pass on.
                response.ContentLength = 0;
                return new(false);
            }

            return new(true);
        }
    }
}

/// <summary>How to reach one origin for one stream.</summary>
/// <param name="HandlerName">The named message handler (<see cref="OriginHttpClients"/>): its connect callback is the network policy.</param>
/// <param name="ConnectTimeout">Budget to open one connection.</param>
/// <param name="Pace">What the origin must keep up, timed over the waits on it only: past a limit the response is aborted (or, before its headers, a timeout).</param>
/// <param name="ApplyHeaders">Sets our own headers once the origin's safe ones are copied.</param>
/// <param name="ForwardRange">False: the client's <c>Range</c> and <c>If-Range</c> are not sent (its <c>If-Range</c> is known to name another version), so the whole file is.</param>
public sealed record ForwardSettings(string HandlerName, TimeSpan ConnectTimeout, OriginPaceLimits Pace, Action<HttpResponse> ApplyHeaders, bool ForwardRange = true);

/// <summary>What became of a forward.</summary>
public enum ForwardResult
{
    /// <summary>The origin's answer (200, 206, 304, 412, 416) went to the client.</summary>
    Sent,

    /// <summary>The origin said 404 or 410; nothing was written.</summary>
    NotFound,

    /// <summary>The origin redirected (<see cref="ForwardOutcome.Location"/>); nothing was written.</summary>
    Redirected,

    /// <summary>Another status, or the connection failed; nothing was written.</summary>
    Failed,

    /// <summary>No headers in time, or a read stalled; nothing was written.</summary>
    TimedOut,

    /// <summary>The network policy refused every address of the origin; no connection was opened.</summary>
    Refused,

    /// <summary>The client went away.</summary>
    ClientGone,

    /// <summary>The origin answered 429 or 503 with a <c>Retry-After</c> (<see cref="ForwardOutcome.RetryAfter"/>); nothing was written.</summary>
    Throttled,

    /// <summary>The origin fell short of its pace mid-body (<see cref="ForwardOutcome.Error"/> says how): the client's response was aborted, so it cannot pass for the whole file.</summary>
    Cut,
}

/// <summary>A forward's result, with the redirect target or the failure's cause when there is one.</summary>
public readonly record struct ForwardOutcome(ForwardResult Result, Uri? Location = null, Exception? Error = null, HttpStatusCode? Status = null, TimeSpan? RetryAfter = null);
