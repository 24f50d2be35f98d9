using CdnProxy.Core;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Hosting;
using CdnProxy.Server.Http;
using CdnProxy.Server.Streaming;
using Microsoft.AspNetCore.Http.Features;

namespace CdnProxy.Server.Endpoints;

/// <summary>GET/HEAD <c>/v1/...</c> and <c>/v2/...</c>: the image endpoint (rendered, or sent as stored: <see cref="StoredFileStreaming"/>).</summary>
public static class ImageEndpoint
{
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapImageEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/v1/{**path}", Methods, HandleAsync);
        endpoints.MapMethods("/v2/{**path}", Methods, HandleAsync);
        return endpoints;
    }

    /// <summary>
    /// The request target as the client sent it (signatures are computed over that exact text); of an absolute-form
    /// target (<c>GET http://host/v2/...</c>), its path and query as sent. Rebuilt from the decoded path only when the
    /// server gives no raw target (the test host): re-encoding the decoded path would read <c>a%2520b.jpg</c> as
    /// <c>a%20b.jpg</c>, whose signature (that of <c>a b.jpg</c>) would then serve the file <c>a%20b.jpg</c>.
    /// </summary>
    private static string RawTarget(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            return context.Request.PathBase + context.Request.Path.ToUriComponent() + context.Request.QueryString;
        }

        return raw[0] == '/' ? raw : PathAndQueryOfAbsoluteForm(raw);
    }

    private static string PathAndQueryOfAbsoluteForm(string target)
    {
        var authority = target.IndexOf("://", StringComparison.Ordinal);
        var path = authority < 0 ? -1 : target.IndexOfAny(['/', '?'], authority + 3);
        return path < 0 ? "/" : target[path] == '/' ? target[path..] : "/" + target[path..];
    }

    /// <summary>
    /// Renders the cloud's not-found image as the URL asked (a cache hit after the first) and returns what was sent;
    /// null when it fails too. Never a 304: the client's validators name the missing original's image, not this one.
    /// </summary>
    private static async Task<ImageResponse?> TryWriteNotFoundImageAsync(
        HttpContext context, ImageRequest request, ResolvedRequest stand, ImagePipeline pipeline, ImageResponseWriter writer, DeliveryOptions delivery)
    {
        ImageResponse response;
        try
        {
            response = await pipeline.HandleAsync(request with { IfNoneMatch = null, IfMatch = null }, stand, context.RequestAborted);
        }
        catch (CdnException e)
        {
            // The client gets the JSON 404; without this line a broken not-found image (missing, private, not an
            // image, over the limits) would fail every missing file's request in silence. At the level its own URL's
            // request would log, so a flood of missing names adds no more noise than requests for it would.
            var logger = Logger(context.RequestServices.GetRequiredService<ILoggerFactory>());
            ServerLog.NotFoundImageFailed(logger, CdnErrorMapper.Map(e.Kind), stand.Url.Cloud, stand.Url.FilePath, e);
            return null;
        }

        await writer.WriteNotFoundImageAsync(context, response, delivery);
        return response;
    }

    // Made only on the error path: LoggerFactory.CreateLogger takes a lock, which every cache hit would contend on.
    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(ImageEndpoint));

    private static async Task HandleAsync(
        HttpContext context, RequestResolver resolver, ImagePipeline pipeline, StoredFileStreaming streaming, ImageResponseWriter writer, ILoggerFactory loggers,
        PipelineMetrics metrics, TimeProvider time, ImageInfoService info)
    {
        var started = time.GetTimestamp();
        var cache = CacheOutcomes.None;
        var request = context.Request;
        var query = request.Query;
        var dpr = query["dpr"].LastOrDefault();
        var imageRequest = new ImageRequest(
            Path: request.Path.Value ?? "/",
            Dpr: dpr,
            ClientHintDpr: request.Headers["Sec-CH-DPR"].LastOrDefault() ?? request.Headers["DPR"].LastOrDefault(),
            IfNoneMatch: request.Headers.IfNoneMatch.ToString())
        {
            RawTarget = RawTarget(context),
            Host = request.Host.Host,
            FormatAuto = query["f_auto"].LastOrDefault(),
            Accept = request.Headers.Accept.ToString(),
            CacheBuster = query["v"].LastOrDefault(),
            IfMatch = request.Headers.IfMatch.ToString(),
            Client = context.Connection.RemoteIpAddress,
        };
        if (query.ContainsKey("info"))
        {
            await InfoEndpoints.WriteAsync(context, imageRequest, info, writer);
            return;
        }

        var delivery = new DeliveryOptions(
            DprFromClientHints: string.Equals(dpr, "auto", StringComparison.OrdinalIgnoreCase),
            Disposition: query.ContainsKey("download") ? "attachment" : query.ContainsKey("preview") ? "inline" : null);
        try
        {
            var resolved = resolver.Resolve(imageRequest);
            if (StoredFileStreaming.StreamsBeforeRendering(resolved))
            {
                cache = CacheOutcomes.Stream;
                await streaming.StreamAsync(context, resolved, delivery);
            }
            else
            {
                try
                {
                    var response = await pipeline.HandleAsync(imageRequest, resolved, context.RequestAborted);
                    cache = response.Stale ? CacheOutcomes.Stale : response.CacheHit ? CacheOutcomes.Hit : CacheOutcomes.Miss;
                    await writer.WriteAsync(context, response, delivery);
                }
                catch (CdnException e) when (StoredFileStreaming.StreamsInstead(e, resolved))
                {
                    cache = CacheOutcomes.Stream;
                    await streaming.StreamAsync(context, resolved, delivery);
                }
                catch (CdnException e) when (e.Kind == CdnErrorKind.OriginNotFound && delivery.Disposition != "attachment" && resolver.NotFoundImageFor(resolved) is { } stand)
                {
                    if (await TryWriteNotFoundImageAsync(context, imageRequest, stand, pipeline, writer, delivery) is not { } served)
                    {
                        throw; // the not-found image could not be served either: the JSON 404 stands
                    }

                    cache = served.CacheHit ? CacheOutcomes.Hit : CacheOutcomes.Miss;
                }
            }
        }
        catch (CdnException e)
        {
            var mapping = CdnErrorMapper.Map(e.Kind);
            var logger = Logger(loggers);
            ServerLog.RequestFailed(logger, mapping, e);
            await writer.WriteErrorAsync(context, mapping, e.Message, e.Column, e.RetryAfter);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer, nothing to measure.
            return;
        }
#pragma warning disable CA1031 // The last line of defence: never a stack trace in a response.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var logger = Logger(loggers);
            ServerLog.UnexpectedFailure(logger, e);
            await writer.WriteErrorAsync(context, CdnErrorMapper.Internal, "Internal error", null);
        }

        metrics.RecordRequest(time.GetElapsedTime(started), context.Response.StatusCode, cache);
    }
}
