using System.Globalization;
using System.Text;
using System.Text.Json;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Hosting;

namespace CdnProxy.Server.Http;

/// <summary>Writes pipeline results and failures as HTTP responses.</summary>
public sealed class ImageResponseWriter
{
    // Readable messages ('w' rather than \u0027w\u0027); safe because the body is served as JSON with nosniff.
    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<ErrorEnvelope> ErrorJson =
        new ErrorJsonContext(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ErrorEnvelope;

    private readonly CdnProxyOptions _options;
    private readonly TimeProvider _time;
    private readonly int _retryAfterSeconds;

    public ImageResponseWriter(CdnProxyOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time;
        _retryAfterSeconds = Math.Max(1, options.Render.RetryAfterSeconds);
    }

    public Task WriteAsync(HttpContext context, ImageResponse response, DeliveryOptions delivery) =>
        WriteAsync(context, response, delivery, notFoundImage: false);

    /// <summary>
    /// The cloud's not-found image standing in for a missing original: 404 (the URL names nothing), never stored
    /// (the original may be uploaded any moment), no validator (it is not the URL's image).
    /// </summary>
    public Task WriteNotFoundImageAsync(HttpContext context, ImageResponse response, DeliveryOptions delivery) =>
        WriteAsync(context, response, delivery, notFoundImage: true);

    private async Task WriteAsync(HttpContext context, ImageResponse response, DeliveryOptions delivery, bool notFoundImage)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(delivery);
        var http = context.Response;
        var rendition = response.Rendition;
        if (notFoundImage)
        {
            http.Headers.CacheControl = "no-store";
        }
        else
        {
            http.Headers.ETag = rendition.ETag;
            // A stale rendition (the origin failed while refreshing it) is served briefly cacheable, no Warning header.
            // A private file's rendition was served to a signed URL: shared caches must not keep it past that URL's expiry.
            var cacheControl = rendition.Access == AssetAccess.Private ? _options.Http.PrivateCacheControl
                : response.Stale ? _options.Http.StaleCacheControl : _options.Http.CacheControl;
            http.Headers.CacheControl = CacheLifetime.Bound(cacheControl, response.CacheableUntil, _time.GetUtcNow());
        }

        http.Headers.XContentTypeOptions = "nosniff";
        if (_options.Http.ServerTiming)
        {
            http.Headers["Server-Timing"] = FormatTimings(response.Timings);
        }

        if (delivery.DprFromClientHints)
        {
            http.Headers.Vary = response.VariesByAccept ? "Accept, Sec-CH-DPR, DPR" : "Sec-CH-DPR, DPR";
            http.Headers["Accept-CH"] = "Sec-CH-DPR, DPR";
        }
        else if (response.VariesByAccept)
        {
            http.Headers.Vary = "Accept";
        }

        if (delivery.Disposition is { } disposition)
        {
            http.Headers.ContentDisposition = ContentDisposition(disposition, response.FilePath, rendition.ContentType);
        }

        if (response.NotModified && !notFoundImage)
        {
            http.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        http.StatusCode = notFoundImage ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
        http.ContentType = rendition.ContentType;
        http.ContentLength = rendition.Bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await http.Body.WriteAsync(rendition.Bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An info answer (JSON): cacheable like the image it describes when it came through an image URL; kept private
    /// when an authenticated API caller asked (it may hold what only that caller may see).
    /// </summary>
    public async Task WriteInfoAsync(HttpContext context, ImageInfoResponse response, bool authenticated)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var http = context.Response;
        var rendition = response.Rendition;
        http.Headers.ETag = rendition.ETag;
        var cacheControl = authenticated || rendition.Access == AssetAccess.Private ? _options.Http.PrivateCacheControl : _options.Http.CacheControl;
        http.Headers.CacheControl = CacheLifetime.Bound(cacheControl, response.CacheableUntil, _time.GetUtcNow());
        http.Headers.XContentTypeOptions = "nosniff";
        if (_options.Http.ServerTiming)
        {
            http.Headers["Server-Timing"] = FormatTimings(response.Timings);
        }

        if (response.NotModified)
        {
            http.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        http.ContentType = "application/json; charset=utf-8";
        http.ContentLength = rendition.Bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await http.Body.WriteAsync(rendition.Bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <c>{"error":{"code","message"[,"column"]}}</c>; never internal details.</summary>
    public Task WriteErrorAsync(HttpContext context, CdnErrorMapping mapping, string message, int? column) =>
        WriteErrorAsync(context, mapping, message, column, retryAfter: null);

    /// <summary>As above; a 429's or 503's <c>Retry-After</c> is <paramref name="retryAfter"/> when the failure says (<see cref="StartError"/>).</summary>
    public async Task WriteErrorAsync(HttpContext context, CdnErrorMapping mapping, string message, int? column, TimeSpan? retryAfter)
    {
        StartError(context, mapping, retryAfter);
        var http = context.Response;
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorEnvelope(new ErrorBody(mapping.Code, message, column)), ErrorJson);
        http.ContentType = "application/json; charset=utf-8";
        http.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await http.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts an error answer on any face (image URLs, the APIs, each with its own JSON body): what was set is cleared,
    /// then the status, <c>no-store</c>, <c>nosniff</c> and <see cref="CdnErrorMapping.RetryAfterSeconds"/>, whose
    /// fallback is <c>Render:RetryAfterSeconds</c>. Headers added when the response starts (CORS) are kept.
    /// </summary>
    public void StartError(HttpContext context, CdnErrorMapping mapping, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(mapping);
        var http = context.Response;
        http.Clear();
        http.StatusCode = mapping.Status;
        http.Headers.CacheControl = "no-store";
        http.Headers.XContentTypeOptions = "nosniff";
        if (mapping.RetryAfterSeconds(retryAfter, _retryAfterSeconds) is { } seconds)
        {
            http.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary><c>attachment; filename="photo.webp"; filename*=UTF-8''photo.webp</c>: the original's name with the served format's extension.</summary>
    private static string ContentDisposition(string disposition, string filePath, string contentType)
    {
        var name = Path.GetFileNameWithoutExtension(filePath);
        var extension = contentType switch
        {
            "image/jpeg" => ".jpg",
            "image/png" => ".png",
            "image/webp" => ".webp",
            "image/avif" => ".avif",
            "image/gif" => ".gif",
            "image/tiff" => ".tiff",
            "image/heif" => ".heif",
            _ => Path.GetExtension(filePath),
        };
        var header = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue(disposition);
        header.SetHttpFileName((name.Length == 0 ? "image" : name) + extension);
        return header.ToString();
    }

    /// <summary>The <c>Server-Timing</c> value of <paramref name="timings"/>.</summary>
    public static string FormatTimings(IReadOnlyList<StageTiming> timings)
    {
        // A cache hit has one timing: format it without a builder (this runs on every hit).
        if (timings.Count == 1)
        {
            return FormatTiming(timings[0]);
        }

        var text = new StringBuilder();
        foreach (var timing in timings)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(FormatTiming(timing));
        }

        return text.ToString();
    }

    private static string FormatTiming(StageTiming timing) => timing.Description is { } description
        ? string.Create(CultureInfo.InvariantCulture, $"{timing.Stage};dur={timing.Duration.TotalMilliseconds:0.###};desc=\"{description}\"")
        : string.Create(CultureInfo.InvariantCulture, $"{timing.Stage};dur={timing.Duration.TotalMilliseconds:0.###}");
}
