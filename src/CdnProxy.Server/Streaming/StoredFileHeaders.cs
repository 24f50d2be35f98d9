using CdnProxy.Core.Origins;
using CdnProxy.Server.Hosting;
using CdnProxy.Server.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace CdnProxy.Server.Streaming;

/// <summary>
/// The headers CdnProxy itself puts on a file sent as stored: its Cache-Control (private files: the private one),
/// <c>nosniff</c>, the <c>?download</c>/<c>?preview</c> disposition, and for media types a browser would run
/// (HTML, XML, SVG, scripts) a sandboxing CSP and <c>attachment</c>, so a stored file cannot script our domain.
/// </summary>
/// <param name="http">The configured caching headers.</param>
/// <param name="disposition">The <c>?download</c>/<c>?preview</c> disposition, if any.</param>
/// <param name="cacheableUntil">When the signed URL that asked expires (no cache may keep the file past it); null: no bound.</param>
/// <param name="time">The clock the bound is measured with.</param>
public sealed class StoredFileHeaders(HttpOptions http, string? disposition, DateTimeOffset? cacheableUntil, TimeProvider time)
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private static readonly string[] ActiveTypes =
        ["text/html", "application/xhtml+xml", "text/xml", "application/xml", "text/xsl", "image/svg+xml", "text/javascript", "application/javascript", "application/x-javascript"];

    /// <summary>The media type of a local file, from its extension; unknown extensions are <c>application/octet-stream</c>.</summary>
    public static string ContentTypeOf(string filePath) =>
        ContentTypes.TryGetContentType(filePath, out var type) ? type : "application/octet-stream";

    /// <summary>Sets our headers; call after the origin's safe headers were copied (the media type decides the safety headers).</summary>
    public void Apply(HttpResponse response, string filePath, AssetAccess access)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.CacheControl = CacheLifetime.Bound(
            access == AssetAccess.Private ? http.PrivateCacheControl : http.CacheControl, cacheableUntil, time.GetUtcNow());
        // The sender may still answer an error (416 for a range past the end, 412 for a failed precondition): that
        // answer is not the file and must not be cached like it, nor describe the file's media type on its empty body.
        response.OnStarting(
            static state =>
            {
                var started = (HttpResponse)state;
                if (started.StatusCode >= StatusCodes.Status400BadRequest)
                {
                    started.Headers.CacheControl = "no-store";
                }

                if (started.StatusCode is StatusCodes.Status412PreconditionFailed or StatusCodes.Status416RangeNotSatisfiable)
                {
                    started.Headers.ContentType = default;
                    started.ContentLength = 0;
                }

                return Task.CompletedTask;
            },
            response);
        response.Headers.XContentTypeOptions = "nosniff";
        if (string.IsNullOrEmpty(response.ContentType))
        {
            // An origin that named no type: judged by the file's extension, as a local file is.
            response.ContentType = ContentTypeOf(filePath);
        }

        ApplyDisposition(response, filePath, disposition);
    }

    /// <summary>
    /// The disposition asked for (none: inline), but for a media type a browser would run (its
    /// <c>Content-Type</c> already set) a sandboxing CSP and <c>attachment</c>, whatever was asked. For every answer
    /// that sends a stored file's bytes with its own type, so none can script our domain.
    /// </summary>
    public static void ApplyDisposition(HttpResponse response, string filePath, string? disposition)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(filePath);
        var active = IsActive(response.ContentType);
        if (active)
        {
            response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        }

        if ((active ? "attachment" : disposition) is { } chosen)
        {
            var header = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue(chosen);
            var name = Path.GetFileName(filePath);
            header.SetHttpFileName(name.Length == 0 ? "file" : name);
            response.Headers.ContentDisposition = header.ToString();
        }
    }

    private static bool IsActive(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var mediaType = contentType.Split(';', 2)[0].Trim();
        return ActiveTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase) || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase);
    }
}
