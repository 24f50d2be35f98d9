using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Hosting;
using CdnProxy.Server.Http;

namespace CdnProxy.Server.Endpoints;

/// <summary>GET/HEAD <c>/v1/...</c> and <c>/v2/...</c>: the image endpoint.</summary>
public static class ImageEndpoint
{
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapImageEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/v1/{**path}", Methods, HandleAsync);
        endpoints.MapMethods("/v2/{**path}", Methods, HandleAsync);
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context, ImagePipeline pipeline, ImageResponseWriter writer, ILoggerFactory loggers)
    {
        var request = context.Request;
        var dpr = request.Query["dpr"].LastOrDefault();
        var imageRequest = new ImageRequest(
            Path: request.Path.Value ?? "/",
            Dpr: dpr,
            ClientHintDpr: request.Headers["Sec-CH-DPR"].LastOrDefault() ?? request.Headers["DPR"].LastOrDefault(),
            IfNoneMatch: request.Headers.IfNoneMatch.ToString());
        var logger = loggers.CreateLogger(typeof(ImageEndpoint));
        try
        {
            var response = await pipeline.HandleAsync(imageRequest, context.RequestAborted);
            await writer.WriteAsync(context, response, string.Equals(dpr, "auto", StringComparison.OrdinalIgnoreCase));
        }
        catch (CdnException e)
        {
            var mapping = CdnErrorMapper.Map(e.Kind);
            ServerLog.RequestFailed(logger, mapping.LogLevel, e.Kind, mapping.Status, e.Message, e.InnerException);
            await writer.WriteErrorAsync(context, mapping, e.Message, e.Column);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
#pragma warning disable CA1031 // The last line of defence: never a stack trace in a response.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ServerLog.UnexpectedFailure(logger, e);
            await writer.WriteErrorAsync(context, CdnErrorMapper.Internal, "Internal error", null);
        }
    }
}
