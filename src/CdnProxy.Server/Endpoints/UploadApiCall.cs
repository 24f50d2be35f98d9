using CdnProxy.Core;
using CdnProxy.Server.Api;
using CdnProxy.Server.Hosting;
using CdnProxy.Server.Http;
using CdnProxy.Server.Uploads;
using Microsoft.AspNetCore.Http.Features;

namespace CdnProxy.Server.Endpoints;

/// <summary>
/// What every upload and assets call shares: the API key (404 while the API has none, 401 without a valid one), the
/// per-key rate limit (429 with <c>Retry-After</c>), the request body cap, and one place that turns failures into JSON
/// errors through <see cref="CdnErrorMapper"/>.
/// </summary>
internal static class UploadApiCall
{
    /// <summary>Runs <paramref name="call"/> after the key and rate checks; <paramref name="maxBody"/> bounds the request body.</summary>
    public static async Task RunAsync(HttpContext context, long maxBody, bool needsKey, Func<Task> call, UploadRateLimiter? limiter = null)
    {
        var services = context.RequestServices;
        var writer = services.GetRequiredService<ImageResponseWriter>();
        try
        {
            CapBody(context, maxBody);
            var keys = services.GetRequiredService<ApiKeyVerifier>();
            var presented = ApiKeyVerifier.PresentedKey(context.Request);
            if (needsKey && !await ApiEndpoints.AuthorizeAsync(context, keys, writer))
            {
                return;
            }

            EnsureWithinRate(context, needsKey ? presented : null, limiter);
            await call();
        }
        catch (Exception e) when (Failure(e) is { } failure)
        {
            await WriteErrorAsync(context, failure);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; whatever it staged was discarded.
        }
    }

    /// <summary>
    /// <see cref="UploadService.Target"/> for the request's API key: a key that does not serve the cloud (named, or
    /// <c>Uploads:DefaultCloud</c>) fails with <c>forbidden</c> before the cloud is looked up or anything is read.
    /// </summary>
    public static UploadTarget Target(HttpContext context, UploadService uploads, string? cloud, string? zone)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        ApiKeyScope.Of(context).EnsureServes(uploads.CloudName(cloud));
        return uploads.Target(cloud, zone);
    }

    /// <summary>Bounds the body Kestrel reads for this request: past <paramref name="maxBody"/> bytes it fails with 413.</summary>
    public static void CapBody(HttpContext context, long maxBody)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBody;
        }
    }

    /// <summary>Takes one permit of the request's partition, or fails with <c>rate_limited</c>.</summary>
    public static void EnsureWithinRate(HttpContext context, string? apiKey, UploadRateLimiter? limiter = null)
    {
        limiter ??= context.RequestServices.GetRequiredService<UploadRateLimiter>();
        if (!limiter.TryAcquire(UploadRateLimiter.Partition(apiKey, context), out var retryAfter))
        {
            throw new CdnException(CdnErrorKind.RateLimited, "Too many requests: retry later") { RetryAfter = retryAfter };
        }
    }

    /// <summary>The CDN's scheme and host for URLs in answers: <c>Uploads:PublicBaseUrl</c>, else the request's own.</summary>
    public static string BaseUrl(HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<CdnProxyOptions>().Uploads.PublicBaseUrl;
        return configured.Length > 0 ? configured.TrimEnd('/') : $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
    }

    /// <summary>A failure as a CdnException (a body over Kestrel's cap is an upload too large); null for anything else.</summary>
    public static CdnException? Failure(Exception e) => e switch
    {
        CdnException cdn => cdn,
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new CdnException(CdnErrorKind.UploadTooLarge, "The upload is larger than this server accepts", e),
        BadHttpRequestException => new CdnException(CdnErrorKind.InvalidArgument, "The request body is malformed or incomplete", e),
        _ => null,
    };

    /// <summary>Logs an upload face's failure (uploads, assets, PixLab's store) at its kind's level.</summary>
    public static void LogFailure(HttpContext context, CdnErrorMapping mapping, CdnException failure) =>
        ServerLog.RequestFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CdnProxy.Server.Uploads"), mapping, failure);

    private static async Task WriteErrorAsync(HttpContext context, CdnException e)
    {
        var mapping = CdnErrorMapper.Map(e.Kind);
        LogFailure(context, mapping, e);
        if (!context.Response.HasStarted)
        {
            await context.RequestServices.GetRequiredService<ImageResponseWriter>().WriteErrorAsync(context, mapping, e.Message, null, e.RetryAfter);
        }
    }
}
