using CdnProxy.Core;

namespace CdnProxy.Server.Http;

/// <summary>
/// Requests no endpoint takes (404) or takes with another method (405, its <c>Allow</c> header kept) get the JSON
/// error and <c>no-store</c> every other failure has. Routing alone answers them with an empty body and no
/// <c>Cache-Control</c>, which a CDN in front may cache for a while by its own heuristics.
/// </summary>
public static class UnroutedRequests
{
    public static WebApplication UseJsonErrorsForUnroutedRequests(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStatusCodePages(status => AnswerAsync(status.HttpContext));
        return app;
    }

    // Called only for a response still empty: an endpoint's own error, with its body, is left as it is.
    private static Task AnswerAsync(HttpContext context)
    {
        var (kind, message) = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => (CdnErrorKind.NoSuchPath, "Nothing is served at this path"),
            StatusCodes.Status405MethodNotAllowed => (CdnErrorKind.MethodNotAllowed, "This method is not allowed here"),
            _ => (default(CdnErrorKind?), string.Empty),
        };
        if (kind is not { } known)
        {
            return Task.CompletedTask;
        }

        // The error writer starts from a cleared response; the methods allowed are put back before it is sent.
        var allow = context.Response.Headers.Allow;
        if (allow.Count > 0)
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.Allow = allow;
                return Task.CompletedTask;
            });
        }

        var writer = context.RequestServices.GetRequiredService<ImageResponseWriter>();
        return writer.WriteErrorAsync(context, CdnErrorMapper.Map(known), message, null);
    }
}
