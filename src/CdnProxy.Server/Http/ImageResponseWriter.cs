using System.Globalization;
using System.Text;
using System.Text.Json;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Hosting;

namespace CdnProxy.Server.Http;

/// <summary>Writes pipeline results and failures as HTTP responses.</summary>
public sealed class ImageResponseWriter
{
    private readonly CdnProxyOptions _options;
    private readonly int _retryAfterSeconds;

    public ImageResponseWriter(CdnProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _retryAfterSeconds = Math.Max(1, options.Render.RetryAfterSeconds);
    }

    public async Task WriteAsync(HttpContext context, ImageResponse response, bool dprFromClientHints)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var http = context.Response;
        var rendition = response.Rendition;
        http.Headers.ETag = rendition.ETag;
        http.Headers.CacheControl = _options.Http.CacheControl;
        http.Headers.XContentTypeOptions = "nosniff";
        http.Headers["Server-Timing"] = FormatTimings(response.Timings);
        if (dprFromClientHints)
        {
            http.Headers.Vary = "Sec-CH-DPR, DPR";
            http.Headers["Accept-CH"] = "Sec-CH-DPR, DPR";
        }

        if (response.NotModified)
        {
            http.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        http.StatusCode = StatusCodes.Status200OK;
        http.ContentType = rendition.ContentType;
        http.ContentLength = rendition.Bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await http.Body.WriteAsync(rendition.Bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <c>{"error":{"code","message"[,"column"]}}</c>; never internal details.</summary>
    public async Task WriteErrorAsync(HttpContext context, CdnErrorMapping mapping, string message, int? column)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(mapping);
        var http = context.Response;
        http.Clear();
        http.StatusCode = mapping.Status;
        http.Headers.CacheControl = "no-store";
        http.Headers.XContentTypeOptions = "nosniff";
        if (mapping.Status == StatusCodes.Status503ServiceUnavailable)
        {
            http.Headers.RetryAfter = _retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorEnvelope(new ErrorBody(mapping.Code, message, column)), ErrorJsonContext.Default.ErrorEnvelope);
        http.ContentType = "application/json; charset=utf-8";
        http.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await http.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static string FormatTimings(IReadOnlyList<StageTiming> timings)
    {
        var text = new StringBuilder();
        foreach (var timing in timings)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(CultureInfo.InvariantCulture, $"{timing.Stage};dur={timing.Duration.TotalMilliseconds:0.###}");
        }

        return text.ToString();
    }
}
