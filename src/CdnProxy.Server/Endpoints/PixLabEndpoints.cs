using CdnProxy.Core;
using CdnProxy.Server.Api;
using CdnProxy.Server.Http;
using CdnProxy.Server.Uploads;

namespace CdnProxy.Server.Endpoints;

/// <summary>
/// PixLab's <c>POST /store</c> (docs/uploads.md): a multipart <c>file</c> (and optional <c>comment</c>) stored under
/// a new random name in <c>Uploads:DefaultCloud</c>/<c>Uploads:StoreFolder</c>; the key comes as the <c>key</c> field,
/// <c>WWW-Authenticate</c> or any other accepted form. Answers <c>{"status":200,"link","id"}</c> or
/// <c>{"status":4xx,"error"}</c> with the same HTTP status; other methods get 405.
/// </summary>
public static class PixLabEndpoints
{
    public static IEndpointRouteBuilder MapPixLabStore(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/store", StoreAsync);
        endpoints.MapMethods("/store", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch, HttpMethods.Head], MethodNotAllowedAsync);
        return endpoints;
    }

    private static async Task StoreAsync(HttpContext context, UploadService uploads, ApiKeyVerifier keys, ImageResponseWriter writer)
    {
        try
        {
            if (!keys.Enabled)
            {
                throw new CdnException(CdnErrorKind.AssetNotFound, "The store API is not enabled");
            }

            UploadApiCall.CapBody(context, uploads.Options.MaxBytes + UploadEndpoints.FormOverheadBytes);

            // A key in the headers or query is checked before the body is read; PixLab's 'key' field comes with the form.
            var presented = keys.CheckPresentedKey(context.Request, "A valid API key is required");

            UploadApiCall.EnsureWithinRate(context, presented);
            var target = uploads.Target(null, null);
            var form = await UploadForm.ReadAsync(
                context.Request,
                async (fields, body) =>
                {
                    if (keys.Authenticate(context.Request, fields.Field("key")) is null)
                    {
                        throw new CdnException(CdnErrorKind.ApiKeyInvalid, "A valid API key is required (send the key field before the file, or WWW-Authenticate)");
                    }

                    ApiKeyScope.Of(context).EnsureServes(target.Cloud);

                    return await uploads.StageAsync(target, body, uploads.Options.MaxBytes, context.RequestAborted);
                },
                context.RequestAborted);
            if (form.File is null)
            {
                throw CdnException.InvalidArgument("Missing the file to store");
            }

            var request = new UploadRequest { Path = uploads.Options.StoreFolder, Comment = form.Field("comment") };
            var asset = await uploads.FinishAsync(target, request, form.File, context.RequestAborted);
            var view = AssetView.Of(asset, UploadApiCall.BaseUrl(context));
            await UploadEndpoints.WriteJsonAsync(context, new PixLabStoreResponse(200, Link: view.Url, Id: view.FileId), UploadJsonContext.Default.PixLabStoreResponse);
        }
        catch (Exception e) when (UploadApiCall.Failure(e) is { } failure)
        {
            var mapping = CdnErrorMapper.Map(failure.Kind);
            // Logged as the other upload faces log their failures (a store that failed, a file refused).
            UploadApiCall.LogFailure(context, mapping, failure);
            writer.StartError(context, mapping, failure.RetryAfter);
            await context.Response.WriteAsJsonAsync(new PixLabStoreResponse(mapping.Status, Error: failure.Message), UploadJsonContext.Default.PixLabStoreResponse, cancellationToken: context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; what it staged was discarded.
        }
    }

    private static Task MethodNotAllowedAsync(HttpContext context)
    {
        context.Response.Headers.Allow = "POST";
        return UploadEndpoints.WriteJsonAsync(
            context,
            new PixLabStoreResponse(StatusCodes.Status405MethodNotAllowed, Error: "Only POST is allowed on /store"),
            UploadJsonContext.Default.PixLabStoreResponse,
            StatusCodes.Status405MethodNotAllowed);
    }
}
