using CdnProxy.Core;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Api;
using CdnProxy.Server.Http;

namespace CdnProxy.Server.Endpoints;

/// <summary>
/// Image info (docs/operations.md#info): <c>GET /api/v1/info/{cloud}/{filePath}</c> for API callers (private files,
/// signed clouds and <c>gps=true</c> open to them), and <c>?info</c> on an image URL, under that URL's own rules.
/// </summary>
public static class InfoEndpoints
{
    public static IEndpointRouteBuilder MapImageInfo(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/api/v1/info/{cloud}/{**filePath}", [HttpMethods.Get, HttpMethods.Head], ApiInfoAsync);
        return endpoints;
    }

    /// <summary>Answers an image URL carrying <c>?info</c>: the original's info, never its GPS position.</summary>
    internal static Task WriteAsync(HttpContext context, ImageRequest request, ImageInfoService info, ImageResponseWriter writer) =>
        DescribeAsync(context, request, includeGps: false, info, writer);

    private static async Task ApiInfoAsync(HttpContext context, string cloud, string filePath, ApiKeyVerifier keys, ImageInfoService info, ImageResponseWriter writer)
    {
        if (!await ApiEndpoints.AuthorizeAsync(context, keys, writer))
        {
            return;
        }

        var query = context.Request.Query;
        var zone = query["zone"].LastOrDefault();
        var path = zone is { Length: > 0 } ? $"/v2/{cloud}/{zone}/original/{filePath}" : $"/v2/{cloud}/original/{filePath}";
        var request = new ImageRequest(path, IfNoneMatch: context.Request.Headers.IfNoneMatch.ToString())
        {
            Authenticated = true,
            CacheBuster = query["v"].LastOrDefault(),
        };
        await DescribeAsync(context, request, string.Equals(query["gps"].LastOrDefault(), "true", StringComparison.OrdinalIgnoreCase), info, writer);
    }

    private static async Task DescribeAsync(HttpContext context, ImageRequest request, bool includeGps, ImageInfoService info, ImageResponseWriter writer)
    {
        try
        {
            var response = await info.DescribeAsync(request, includeGps, context.RequestAborted);
            await writer.WriteInfoAsync(context, response, request.Authenticated);
        }
        catch (CdnException e)
        {
            await writer.WriteErrorAsync(context, CdnErrorMapper.Map(e.Kind), e.Message, e.Column);
        }
    }
}
