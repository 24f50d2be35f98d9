using System.Globalization;
using System.Text.Json;
using CdnProxy.Core.Origins;
using CdnProxy.Core;
using CdnProxy.Server.Api;
using CdnProxy.Server.Http;
using CdnProxy.Server.Uploads;

namespace CdnProxy.Server.Endpoints;

/// <summary>
/// Pixelbin's uploader face (docs/uploads.md): <c>POST /api/v1/upload</c> (one multipart request) and signed, chunked
/// uploads: <c>POST /api/v1/upload/signed-url</c> issues a URL that expires; parts go to it (<c>PUT ?partNumber=N</c>,
/// local clouds) or to presigned S3 URLs (S3 clouds); <c>POST</c> on it completes, <c>GET</c> lists the parts
/// received (resuming), <c>DELETE</c> aborts.
/// </summary>
public static class UploadEndpoints
{
    /// <summary>Room for the form's text fields and part headers beyond the file itself.</summary>
    public const long FormOverheadBytes = 1024 * 1024;

    /// <summary>Largest part accepted by the chunk endpoint (clients choose their chunk size; 10 MB by default).</summary>
    public const long MaxPartBytes = 100L * 1024 * 1024;

    public static IEndpointRouteBuilder MapCdnProxyUploads(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/upload", UploadAsync);
        endpoints.MapPost("/api/v1/upload/signed-url", CreateSignedUploadAsync);
        endpoints.MapPut(SignedUploadUrls.RoutePrefix + "{id}", PutPartAsync);
        endpoints.MapPost(SignedUploadUrls.RoutePrefix + "{id}", CompleteAsync);
        endpoints.MapGet(SignedUploadUrls.RoutePrefix + "{id}", StatusAsync);
        endpoints.MapDelete(SignedUploadUrls.RoutePrefix + "{id}", AbortAsync);
        return endpoints;
    }

    /// <summary>Reads a multipart upload: the cloud (a field before the file, or <c>?cloud=</c>) is resolved when the file starts, so its bytes stream into that cloud's staging.</summary>
    internal static async Task<(UploadTarget Target, UploadRequest Request, IStagedFile Staged)> ReadUploadAsync(HttpContext context, UploadService uploads)
    {
        var query = context.Request.Query;
        UploadTarget? target = null;
        var form = await UploadForm.ReadAsync(
            context.Request,
            async (fields, body) =>
            {
                _ = fields.ToRequest(); // fields sent before the file are checked before its bytes are stored
                target = UploadApiCall.Target(context, uploads, fields.Field("cloud") ?? query["cloud"].LastOrDefault(), fields.Field("zone") ?? query["zone"].LastOrDefault());
                return await uploads.StageAsync(target, body, uploads.Options.MaxBytes, context.RequestAborted);
            },
            context.RequestAborted);
        if (form.File is null || target is null)
        {
            throw CdnException.InvalidArgument("A file part named 'file' is required");
        }

        try
        {
            var request = form.ToRequest();
            if (request.Cloud is { Length: > 0 } cloud && cloud != target.Cloud || request.Zone is { Length: > 0 } zone && zone != target.Zone)
            {
                throw CdnException.InvalidArgument("Send the cloud and zone fields before the file");
            }

            return (target, request, form.File);
        }
        catch
        {
            await form.File.DisposeAsync();
            throw;
        }
    }

    internal static Task WriteJsonAsync<T>(HttpContext context, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(value, type, cancellationToken: context.RequestAborted);
    }

    private static Task UploadAsync(HttpContext context, UploadService uploads) =>
        UploadApiCall.RunAsync(context, uploads.Options.MaxBytes + FormOverheadBytes, needsKey: true, async () =>
        {
            var (target, request, staged) = await ReadUploadAsync(context, uploads);
            var asset = await uploads.FinishAsync(target, request, staged, context.RequestAborted);
            await WriteJsonAsync(context, AssetView.Of(asset, UploadApiCall.BaseUrl(context)), UploadJsonContext.Default.AssetView);
        });

    private static Task CreateSignedUploadAsync(HttpContext context, UploadService uploads, SignedUploadUrls urls, TimeProvider time) =>
        UploadApiCall.RunAsync(context, FormOverheadBytes, needsKey: true, async () =>
        {
            var body = await RequestJson.ReadAsync(context, UploadJsonContext.Default.SignedUrlRequest)
                ?? throw CdnException.InvalidArgument("The body must be a JSON object");
            var request = new UploadRequest
            {
                Cloud = body.Cloud,
                Zone = body.Zone,
                Name = body.Name,
                Path = body.Path,
                Format = body.Format,
                Access = UploadForm.ParseAccess(body.Access),
                Tags = UploadForm.ParseTags(body.Tags ?? []),
                Metadata = UploadForm.MetadataObject(body.Metadata),
                Overwrite = body.Overwrite ?? false,
                FilenameOverride = body.FilenameOverride ?? false,
            };
            var expiry = body.Expiry ?? uploads.Options.SignedUrlExpirySeconds;
            if (expiry is < 1 or > UploadOptions.MaxSignedUrlExpirySeconds)
            {
                throw CdnException.InvalidArgument($"expiry must be between 1 and {UploadOptions.MaxSignedUrlExpirySeconds} seconds");
            }

            var target = UploadApiCall.Target(context, uploads, request.Cloud, request.Zone);
            var expires = time.GetUtcNow().AddSeconds(expiry);
            var upload = await uploads.BeginChunkedAsync(target, request, body.Size, expires, context.RequestAborted);
            var presigned = target.Writer.Chunks.PresignPart(upload, 1, expires) is not null;
            if (presigned && body.Size is null)
            {
                await target.Writer.Chunks.AbortAsync(upload, CancellationToken.None);
                throw CdnException.InvalidArgument("size is required for this cloud: its parts go straight to S3 through presigned URLs");
            }

            IReadOnlyList<PresignedPart>? parts = presigned
                ? [.. Enumerable.Range(1, uploads.PartCount(body.Size!.Value)).Select(n => new PresignedPart(n, target.Writer.Chunks.PresignPart(upload, n, expires)!.AbsoluteUri, "PUT"))]
                : null;
            // The key that asked: the URL ends when that key is no longer configured.
            var url = urls.Create(UploadApiCall.BaseUrl(context), target.Cloud, target.Zone, upload.Id, expires, ApiKeyVerifier.PresentedKey(context.Request)!);
            var response = new SignedUrlResponse(
                new PresignedUrl(url, new Dictionary<string, string> { ["x-cdnproxy-upload-id"] = upload.Id }),
                upload.Id,
                uploads.Options.ChunkSizeBytes,
                expires,
                parts);
            await WriteJsonAsync(context, response, UploadJsonContext.Default.SignedUrlResponse);
        });

    private static Task PutPartAsync(HttpContext context, string id, UploadService uploads, SignedUploadUrls urls) =>
        UploadApiCall.RunAsync(context, MaxPartBytes + FormOverheadBytes, needsKey: false, async () =>
        {
            var (target, upload) = await SessionAsync(context, id, uploads, urls);
            // One part number only: with two, one of them was picked and the part stored under it.
            if (context.Request.Query["partNumber"] is not { Count: 1 } given
                || !int.TryParse(given[0], NumberStyles.None, CultureInfo.InvariantCulture, out var partNumber)
                || partNumber is < 1 or > UploadService.MaxParts)
            {
                throw CdnException.InvalidArgument("partNumber must be one number between 1 and 10000");
            }

            UploadedPart? part = null;
            if (context.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
            {
                // Pixelbin's uploader sends each chunk as a form: its fields, then the chunk as 'file'.
                await UploadForm.ReadAsync(
                    context.Request,
                    async (_, body) =>
                    {
                        part = await target.Writer.Chunks.WritePartAsync(upload, partNumber, body, MaxPartBytes, context.RequestAborted);
                        return null;
                    },
                    context.RequestAborted);
            }
            else
            {
                part = await target.Writer.Chunks.WritePartAsync(upload, partNumber, context.Request.Body, MaxPartBytes, context.RequestAborted);
            }

            var written = part ?? throw CdnException.InvalidArgument("The part's bytes go in the body, or in a form part named 'file'");
            await WriteJsonAsync(context, new UploadStatusPart(written.Number, written.Size, written.ETag), UploadJsonContext.Default.UploadStatusPart);
        });

    private static Task CompleteAsync(HttpContext context, string id, UploadService uploads, SignedUploadUrls urls) =>
        UploadApiCall.RunAsync(context, FormOverheadBytes, needsKey: false, async () =>
        {
            var (target, upload) = await SessionAsync(context, id, uploads, urls);
            var body = await RequestJson.ReadAsync(context, UploadJsonContext.Default.JsonElement);
            var parts = ReadParts(body);
            var asset = await uploads.CompleteChunkedAsync(target, upload, parts, context.RequestAborted);
            await WriteJsonAsync(context, AssetView.Of(asset, UploadApiCall.BaseUrl(context)), UploadJsonContext.Default.AssetView);
        });

    private static Task StatusAsync(HttpContext context, string id, UploadService uploads, SignedUploadUrls urls) =>
        UploadApiCall.RunAsync(context, 0, needsKey: false, async () =>
        {
            var (target, upload) = await SessionAsync(context, id, uploads, urls);
            var parts = await target.Writer.Chunks.ListPartsAsync(upload, context.RequestAborted);
            await WriteJsonAsync(
                context,
                new UploadStatusResponse(upload.Id, upload.Expires, [.. parts.Select(p => new UploadStatusPart(p.Number, p.Size, p.ETag))]),
                UploadJsonContext.Default.UploadStatusResponse);
        });

    private static Task AbortAsync(HttpContext context, string id, UploadService uploads, SignedUploadUrls urls) =>
        UploadApiCall.RunAsync(context, 0, needsKey: false, async () =>
        {
            var (target, upload) = await SessionAsync(context, id, uploads, urls);
            await target.Writer.Chunks.AbortAsync(upload, CancellationToken.None);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });

    /// <summary>The session a signed URL names: signature and expiry checked before anything is read or looked up.</summary>
    private static async Task<(UploadTarget Target, ChunkedUpload Upload)> SessionAsync(HttpContext context, string id, UploadService uploads, SignedUploadUrls urls)
    {
        var query = context.Request.Query;
        var (cloud, zone) = urls.Verify(id, query["cloud"].LastOrDefault(), query["zone"].LastOrDefault(), query["issuer"].LastOrDefault(), query["expires"].LastOrDefault(), query["signature"].LastOrDefault());
        var target = uploads.Target(cloud, zone);
        var upload = await target.Writer.Chunks.FindAsync(id, context.RequestAborted)
            ?? throw new CdnException(CdnErrorKind.AssetNotFound, "No such upload (completed, aborted or expired)");
        return (target, upload);
    }

    /// <summary>Pixelbin sends <c>parts: [1, 2, …]</c>; S3 clouds need <c>parts: [{"partNumber":1,"etag":"…"}, …]</c>.</summary>
    private static List<UploadedPart> ReadParts(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array)
        {
            throw CdnException.InvalidArgument("The body must be {\"parts\": [1, 2, …]} or {\"parts\": [{\"partNumber\": 1, \"etag\": \"…\"}, …]}");
        }

        var list = new List<UploadedPart>();
        foreach (var part in parts.EnumerateArray())
        {
            list.Add(part.ValueKind switch
            {
                JsonValueKind.Number when part.TryGetInt32(out var n) => new UploadedPart(n, 0),
                JsonValueKind.Object when part.TryGetProperty("partNumber", out var n) && n.TryGetInt32(out var number) =>
                    new UploadedPart(number, 0, part.TryGetProperty("etag", out var etag) && etag.ValueKind == JsonValueKind.String ? etag.GetString() : null),
                _ => throw CdnException.InvalidArgument("Each part is a part number or {\"partNumber\", \"etag\"}"),
            });
        }

        return list;
    }
}
