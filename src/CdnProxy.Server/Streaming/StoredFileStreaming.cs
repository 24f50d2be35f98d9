using CdnProxy.Core;
using CdnProxy.Core.Pipeline;
using CdnProxy.Server.Hosting;
using CdnProxy.Server.Http;

namespace CdnProxy.Server.Streaming;

/// <summary>
/// Which image-URL requests are sent as stored instead of rendered, and sending them. The rule (docs/operations.md,
/// "Files sent as stored"): only the <c>original</c> pattern, and then when the file's extension is not one of an
/// image format the renderer decodes, or when the render path refuses the original as larger than the origin's
/// <c>MaxBytes</c>. Everything else is rendered as before; a <c>Range</c> on a rendered image is ignored (200), so one
/// URL never has two representations (the rendition and the stored file, with different bytes and ETags). An origin
/// paused by its <c>Retry-After</c> (<see cref="OriginCooldowns"/>) is not asked for a stored file either.
/// </summary>
public sealed class StoredFileStreaming(CdnProxyOptions options, TimeProvider time, OriginCooldowns cooldowns)
{
    private int _streaming;

    /// <summary>The extensions of the formats the renderer's loaders accept (JPEG, PNG, WebP, GIF, HEIF/AVIF, TIFF, SVG).</summary>
    private static readonly HashSet<string> RenderedExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".gif", ".heic", ".heif", ".avif", ".tif", ".tiff", ".svg",
    };

    /// <summary>True when the request is sent as stored without trying the render path.</summary>
    public static bool StreamsBeforeRendering(ResolvedRequest resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        return CanStream(resolved) && !IsRenderedExtension(resolved.Url.FilePath);
    }

    /// <summary>True when the render path's refusal means "send it as stored": an original too large to render.</summary>
    public static bool StreamsInstead(CdnException failure, ResolvedRequest resolved)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Kind == CdnErrorKind.SourceTooLarge && CanStream(resolved);
    }

    /// <summary>Sends the file as stored; 404 <c>not_found</c> when the origin does not have it.</summary>
    public async Task StreamAsync(HttpContext context, ResolvedRequest resolved, DeliveryOptions delivery)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(delivery);
        // RFC 9110 §14.2: a Range in a unit other than bytes is ignored (the file senders would read it as bytes).
        var range = context.Request.Headers.Range.ToString();
        if (range.Length > 0 && !range.TrimStart().StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            context.Request.Headers.Remove("Range");
        }

        PreconditionPrecedence.DropOverriddenDates(context.Request.Headers);

        // Refused before any origin is asked: a stream lasts as long as its client reads (Kestrel holds a client only to
        // 240 B/s), so without a cap slow clients could hold any number of origin connections and files open.
        if (Interlocked.Increment(ref _streaming) > options.Http.MaxStoredFileStreams && options.Http.MaxStoredFileStreams > 0)
        {
            Interlocked.Decrement(ref _streaming);
            throw new CdnException(CdnErrorKind.Overloaded, "Too many files are being sent; try again shortly") { RetryAfter = TimeSpan.FromSeconds(1) };
        }

        try
        {
            await StreamFileAsync(context, resolved, delivery).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _streaming);
        }
    }

    private async Task StreamFileAsync(HttpContext context, ResolvedRequest resolved, DeliveryOptions delivery)
    {
        var origin = (IStreamingOrigin)resolved.Origin;
        var request = new StoredFileRequest(context, resolved.Url.FilePath, resolved.HasValidSignature, new StoredFileHeaders(options.Http, delivery.Disposition, resolved.SignatureExpires, time));
        // Held, and remembered, as a render's fetch is: a Retry-After pauses the origin, a failure holds this file a few seconds.
        var found = await cooldowns.CallAsync(resolved.Origin, resolved.Url.FilePath, token => origin.StreamAsync(request, token), context.RequestAborted)
            .ConfigureAwait(false);
        if (!found)
        {
            throw new CdnException(CdnErrorKind.OriginNotFound, "The original was not found");
        }
    }

    /// <summary>Files being sent as stored now, on this replica (<see cref="HttpOptions.MaxStoredFileStreams"/>).</summary>
    public int InFlight => Volatile.Read(ref _streaming);

    private static bool CanStream(ResolvedRequest resolved) =>
        resolved.Plan.Transformations.Count == 0 && resolved.Plan.Canonical == "original" && resolved.Origin is IStreamingOrigin;

    private static bool IsRenderedExtension(string filePath)
    {
        // A file id without an extension (Pixelbin's often have none) is taken for an image, as before.
        var extension = Path.GetExtension(filePath);
        return extension.Length == 0 || RenderedExtensions.Contains(extension);
    }
}
