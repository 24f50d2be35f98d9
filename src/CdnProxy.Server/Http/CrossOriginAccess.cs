using System.Buffers;
using CdnProxy.Server.Hosting;
using CdnProxy.Server.Uploads;
using Microsoft.Net.Http.Headers;

namespace CdnProxy.Server.Http;

/// <summary>
/// CORS for the two things browsers fetch from other sites' pages: images (<c>/v1</c>, <c>/v2</c>: a canvas, WebGL or
/// <c>fetch()</c> can read them only with <c>Access-Control-Allow-Origin</c>) and signed upload URLs (a page sends the
/// file straight here). Never for API-key endpoints: keys do not belong in browsers. The headers go on every answer of
/// those paths, errors and 304s included, added as the response starts (error writers clear the headers first).
/// </summary>
public static class CrossOriginAccess
{
    private const string DeliveryMethods = "GET, HEAD";

    private static readonly PathString SignedUploads = SignedUploadUrls.RoutePrefix.TrimEnd('/');
    private const string UploadMethods = "GET, PUT, POST, DELETE";

    /// <summary>Browsers keep a preflight at most this long (Chromium caps it at 2 h): one per page and URL shape.</summary>
    private const string PreflightMaxAgeSeconds = "7200";

    // Names a page may ask to send: header tokens only, so a reflected list can never carry anything else.
    private static readonly SearchValues<char> HeaderListCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_, ");

    private enum Face
    {
        None,
        Delivery,
        SignedUpload,
    }

    public static WebApplication UseCrossOriginAccess(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var policy = CrossOriginPolicy.Parse(app.Services.GetRequiredService<CdnProxyOptions>().Http.CorsOrigins);
        if (policy.IsOff)
        {
            return app;
        }

        // One callback per face, made once: the face decided for the request is not worked out again when it starts.
        Func<object, Task> addDeliveryHeaders = state => AddHeaders((HttpContext)state, policy, Face.Delivery);
        Func<object, Task> addUploadHeaders = state => AddHeaders((HttpContext)state, policy, Face.SignedUpload);
        app.Use(next => context =>
        {
            var face = FaceOf(context.Request.Path);
            if (face == Face.None)
            {
                return next(context);
            }

            if (IsPreflight(context.Request))
            {
                AnswerPreflight(context, policy, face);
                return Task.CompletedTask;
            }

            context.Response.OnStarting(face == Face.Delivery ? addDeliveryHeaders : addUploadHeaders, context);
            return next(context);
        });
        return app;
    }

    private static Face FaceOf(PathString path) =>
        path.StartsWithSegments("/v2") || path.StartsWithSegments("/v1") ? Face.Delivery
        : path.StartsWithSegments(SignedUploads) ? Face.SignedUpload
        : Face.None;

    private static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method)
        && request.Headers.ContainsKey(HeaderNames.Origin)
        && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod);

    private static Task AddHeaders(HttpContext context, CrossOriginPolicy policy, Face face)
    {
        var headers = context.Response.Headers;
        if (policy.VariesByOrigin)
        {
            AddVary(headers, HeaderNames.Origin);
        }

        if (policy.AllowedOriginFor(context.Request.Headers.Origin) is { } allowed)
        {
            headers.AccessControlAllowOrigin = allowed;
            if (face == Face.Delivery)
            {
                // Lets the page's Resource Timing see an image's real timings, its scripts read the validator, and
                // range readers of stored files (PDF.js, players) see that ranges work and what a part holds.
                headers["Timing-Allow-Origin"] = allowed;
                headers.AccessControlExposeHeaders = "ETag, Server-Timing, Accept-Ranges, Content-Range";
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A preflight is answered here, before routing: 204 with what the face allows, or 204 without CORS headers for an
    /// origin or a method that is not allowed (the browser then refuses the request itself).
    /// </summary>
    private static void AnswerPreflight(HttpContext context, CrossOriginPolicy policy, Face face)
    {
        var request = context.Request.Headers;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status204NoContent;
        if (policy.VariesByOrigin)
        {
            AddVary(response.Headers, HeaderNames.Origin);
        }

        // What is allowed and reflected below depends on these too: a cache that keeps preflights (some CDNs can)
        // must not answer one page's preflight with another's method verdict or header list.
        AddVary(response.Headers, HeaderNames.AccessControlRequestMethod);
        AddVary(response.Headers, HeaderNames.AccessControlRequestHeaders);

        var methods = face == Face.Delivery ? DeliveryMethods : UploadMethods;
        var method = request.AccessControlRequestMethod.ToString();
        if (policy.AllowedOriginFor(request.Origin) is not { } allowed || !Allows(methods, method))
        {
            return;
        }

        response.Headers.AccessControlAllowOrigin = allowed;
        response.Headers.AccessControlAllowMethods = methods;
        response.Headers.AccessControlMaxAge = PreflightMaxAgeSeconds;
        var asked = request.AccessControlRequestHeaders.ToString();
        if (asked.Length > 0 && !asked.AsSpan().ContainsAnyExcept(HeaderListCharacters))
        {
            // Any header: nothing a page adds to an uncredentialed request changes what it may read.
            response.Headers.AccessControlAllowHeaders = asked;
        }
    }

    private static bool Allows(string methods, string method) =>
        method.Length > 0 && methods.Split(", ").Contains(method, StringComparer.Ordinal);

    private static void AddVary(IHeaderDictionary headers, string name)
    {
        var vary = headers.Vary.ToString();
        var listed = vary.Split(',', StringSplitOptions.TrimEntries).Contains(name, StringComparer.OrdinalIgnoreCase);
        if (!listed)
        {
            headers.Vary = vary.Length == 0 ? name : vary + ", " + name;
        }
    }
}
