using CdnProxy.Core;
using CdnProxy.Server.Api;
using CdnProxy.Server.Http;
using CdnProxy.Server.Origins;

namespace CdnProxy.Server.Endpoints;

/// <summary>
/// The public API, without a key: <c>GET /api/v1/catalog</c> (operations and arguments), <c>GET /api/v1/clouds</c>
/// (the listable clouds) and <c>GET /api/v1/clouds/{cloud}/files</c> (a listable cloud's image files, bounded).
/// </summary>
public static class PublicApiEndpoints
{
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapCdnProxyPublicApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/api/v1/catalog", Methods, (HttpContext context, CatalogBody catalog) => catalog.Body.WriteAsync(context));
        endpoints.MapGet("/api/v1/clouds", ListClouds);
        endpoints.MapGet("/api/v1/clouds/{cloud}/files", ListFilesAsync);
        return endpoints;
    }

    private static IResult ListClouds(HttpContext context, ListableClouds clouds)
    {
        context.Response.Headers.CacheControl = "public, max-age=60";
        return Results.Json(new CloudList([.. clouds.Names]), PublicApiJsonContext.Default.CloudList);
    }

    private static async Task ListFilesAsync(HttpContext context, string cloud, ListableClouds clouds, ImageResponseWriter writer)
    {
        if (clouds.Find(cloud) is not { } lister)
        {
            await writer.WriteErrorAsync(context, CdnErrorMapper.Map(CdnErrorKind.UnknownCloud), "Unknown cloud, or a cloud that cannot be listed", null);
            return;
        }

        var listing = await lister.ListAsync(context.RequestAborted);
        context.Response.Headers.CacheControl = "public, max-age=60";
        await context.Response.WriteAsJsonAsync(
            new CloudFiles(cloud, listing.Files, listing.Truncated),
            PublicApiJsonContext.Default.CloudFiles,
            cancellationToken: context.RequestAborted);
    }
}
