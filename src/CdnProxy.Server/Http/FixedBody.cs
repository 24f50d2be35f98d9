using System.Buffers.Text;
using System.Security.Cryptography;

namespace CdnProxy.Server.Http;

/// <summary>
/// A response body that never changes while the process runs (the catalogue, the playground's files): built once,
/// with a strong ETag, answered with 304 when the client already has it.
/// </summary>
public sealed class FixedBody
{
    public FixedBody(ReadOnlyMemory<byte> bytes, string contentType, string cacheControl)
    {
        Bytes = bytes;
        ContentType = contentType;
        CacheControl = cacheControl;
        ETag = "\"" + Base64Url.EncodeToString(SHA256.HashData(bytes.Span).AsSpan(0, 12)) + "\"";
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    public string ContentType { get; }

    public string CacheControl { get; }

    public string ETag { get; }

    public async Task WriteAsync(HttpContext context, IEnumerable<KeyValuePair<string, string>>? extraHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.Headers.ETag = ETag;
        response.Headers.CacheControl = CacheControl;
        response.Headers.XContentTypeOptions = "nosniff";
        foreach (var (name, value) in extraHeaders ?? [])
        {
            response.Headers[name] = value;
        }

        if (ClientHasIt(context.Request))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = ContentType;
        response.ContentLength = Bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(Bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private bool ClientHasIt(HttpRequest request)
    {
        foreach (var header in request.Headers.IfNoneMatch)
        {
            foreach (var tag in (header ?? string.Empty).Split(',', StringSplitOptions.TrimEntries))
            {
                if (tag == "*" || tag == ETag || tag == "W/" + ETag)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
