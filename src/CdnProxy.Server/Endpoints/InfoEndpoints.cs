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

    /// <summary>Answers an image URL carrying <c>?info</c> (<c>&amp;faces=true</c> adds faces): the original's info, never its GPS position.</summary>
    internal static Task WriteAsync(HttpContext context, ImageRequest request, ImageInfoService info, ImageResponseWriter writer) =>
        DescribeAsync(context, request, IsTrue(context, "faces") ? InfoExtras.Faces : InfoExtras.None, info, writer);

    private static async Task ApiInfoAsync(HttpContext context, string cloud, string filePath, ApiKeyVerifier keys, ImageInfoService info, ImageResponseWriter writer)
    {
        if (!await ApiEndpoints.AuthorizeAsync(context, keys, writer) || !await ApiEndpoints.ServesAsync(context, writer, cloud))
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
            IfMatch = context.Request.Headers.IfMatch.ToString(),
        };
        var extras = (IsTrue(context, "gps") ? InfoExtras.Gps : InfoExtras.None) | (IsTrue(context, "faces") ? InfoExtras.Faces : InfoExtras.None);
        await DescribeAsync(context, request, extras, info, writer);
    }

    private static bool IsTrue(HttpContext context, string name) =>
        string.Equals(context.Request.Query[name].LastOrDefault(), "true", StringComparison.OrdinalIgnoreCase);

    private static async Task DescribeAsync(HttpContext context, ImageRequest request, InfoExtras extras, ImageInfoService info, ImageResponseWriter writer)
    {
        try
        {
            var response = await info.DescribeAsync(request, extras, context.RequestAborted);
            await writer.WriteInfoAsync(context, response, request.Authenticated);
        }
        catch (CdnException e)
        {
            await writer.WriteErrorAsync(context, CdnErrorMapper.Map(e.Kind), e.Message, e.Column, e.RetryAfter);
        }
    }
}
