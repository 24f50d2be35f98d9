using System.Globalization;
using CdnProxy.Core.Origins;
using CdnProxy.Core;
using CdnProxy.Server.Http;
using CdnProxy.Server.Uploads;

namespace CdnProxy.Server.Endpoints;

/// <summary>
/// The assets API of writable clouds (docs/uploads.md): <c>GET /api/v1/assets?cloud=&amp;path=&amp;page=&amp;per_page=</c>
/// lists a folder; <c>GET</c>, <c>PATCH</c> (tags, metadata, access) and <c>DELETE</c> on
/// <c>/api/v1/assets/{cloud}/{fileId}</c>, where <c>fileId</c> is the path as in the file's CDN URL. Changing access
/// and deleting purge the file's renditions.
/// </summary>
public static class AssetEndpoints
{
    /// <summary>Largest page.</summary>
    public const int MaxPerPage = 100;

    /// <summary>Deepest entry a listing reaches (page × per_page): a bounded cost on any store.</summary>
    public const int MaxListingDepth = 10_000;

    public static IEndpointRouteBuilder MapCdnProxyAssets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/assets", ListAsync);
        endpoints.MapGet("/api/v1/assets/{cloud}/{**fileId}", GetAsync);
        endpoints.MapMethods("/api/v1/assets/{cloud}/{**fileId}", [HttpMethods.Patch], PatchAsync);
        endpoints.MapDelete("/api/v1/assets/{cloud}/{**fileId}", DeleteAsync);
        return endpoints;
    }

    private static Task ListAsync(HttpContext context, UploadService uploads) =>
        UploadApiCall.RunAsync(context, 0, needsKey: true, async () =>
        {
            var query = context.Request.Query;
            var page = PositiveInt(query["page"].LastOrDefault(), 1, "page");
            var perPage = PositiveInt(query["per_page"].LastOrDefault() ?? query["pageSize"].LastOrDefault(), 20, "per_page");
            if (perPage > MaxPerPage || (long)page * perPage > MaxListingDepth)
            {
                throw CdnException.InvalidArgument($"per_page is at most {MaxPerPage}, and page × per_page at most {MaxListingDepth}");
            }

            var target = UploadApiCall.Target(context, uploads, query["cloud"].LastOrDefault(), query["zone"].LastOrDefault());
            var listing = await uploads.ListAsync(target, query["path"].LastOrDefault(), page, perPage, context.RequestAborted);
            var baseUrl = UploadApiCall.BaseUrl(context);
            var items = listing.Folders.Select(f => AssetView.Folder(target, f))
                .Concat(listing.Files.Select(f => AssetView.Of(new StoredAsset(target, f), baseUrl)))
                .OrderBy(v => (v.Path.Length == 0 ? string.Empty : v.Path + "/") + v.Name + (v.Format is null ? string.Empty : "." + v.Format), StringComparer.Ordinal)
                .ToList();
            await UploadEndpoints.WriteJsonAsync(
                context,
                new AssetListResponse(items, new AssetListPage("number", page, perPage, listing.HasMore)),
                UploadJsonContext.Default.AssetListResponse);
        });

    private static Task GetAsync(HttpContext context, string cloud, string fileId, UploadService uploads) =>
        UploadApiCall.RunAsync(context, 0, needsKey: true, async () =>
        {
            var asset = await uploads.FindAsync(UploadApiCall.Target(context, uploads, cloud, context.Request.Query["zone"].LastOrDefault()), fileId, context.RequestAborted);
            await UploadEndpoints.WriteJsonAsync(context, AssetView.Of(asset, UploadApiCall.BaseUrl(context)), UploadJsonContext.Default.AssetView);
        });

    private static Task PatchAsync(HttpContext context, string cloud, string fileId, UploadService uploads) =>
        UploadApiCall.RunAsync(context, UploadEndpoints.FormOverheadBytes, needsKey: true, async () =>
        {
            var target = UploadApiCall.Target(context, uploads, cloud, context.Request.Query["zone"].LastOrDefault());
            var body = await RequestJson.ReadAsync(context, UploadJsonContext.Default.AssetPatchRequest, ": {\"tags\"?, \"metadata\"?, \"access\"?}");
            if (body is null || (body.Tags is null && body.Metadata is null && body.Access is null))
            {
                throw CdnException.InvalidArgument("Send at least one of tags, metadata, access");
            }

            if (body.Metadata is { ValueKind: not System.Text.Json.JsonValueKind.Object })
            {
                throw CdnException.InvalidArgument("metadata must be a JSON object");
            }

            var change = new AssetChange(
                body.Tags is null ? null : UploadForm.ParseTags(body.Tags),
                body.Metadata,
                body.Access is null ? null : AssetAccessNames.Parse(body.Access) ?? throw CdnException.InvalidArgument("access must be public-read or private"));
            var asset = await uploads.UpdateAsync(target, fileId, change, context.RequestAborted);
            await UploadEndpoints.WriteJsonAsync(context, AssetView.Of(asset, UploadApiCall.BaseUrl(context)), UploadJsonContext.Default.AssetView);
        });

    private static Task DeleteAsync(HttpContext context, string cloud, string fileId, UploadService uploads) =>
        UploadApiCall.RunAsync(context, 0, needsKey: true, async () =>
        {
            var asset = await uploads.DeleteAsync(UploadApiCall.Target(context, uploads, cloud, context.Request.Query["zone"].LastOrDefault()), fileId, context.RequestAborted);
            await UploadEndpoints.WriteJsonAsync(context, AssetView.Of(asset, UploadApiCall.BaseUrl(context)), UploadJsonContext.Default.AssetView);
        });

    private static int PositiveInt(string? value, int fallback, string name) =>
        value is null ? fallback
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1 ? parsed
        : throw CdnException.InvalidArgument(name + " must be a positive integer");
}
