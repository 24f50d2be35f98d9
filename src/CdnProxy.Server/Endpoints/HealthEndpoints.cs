using CdnProxy.Server.Hosting;
using CdnProxy.Vips;

namespace CdnProxy.Server.Endpoints;

/// <summary><c>/healthz/live</c> (the process answers) and <c>/healthz/ready</c> (libvips renders a tiny image).</summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapCdnProxyHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz/live", () => Results.Json(new HealthReport("live", null)));
        endpoints.MapGet("/healthz/ready", ReadyAsync);
        return endpoints;
    }

    private static async Task<IResult> ReadyAsync(ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            var ok = await Task.Run(VipsRuntime.Probe, cancellationToken).WaitAsync(ProbeTimeout, cancellationToken);
            var version = VipsRuntime.Info?.Version.ToString();
            return ok
                ? Results.Json(new HealthReport("ready", version))
                : Results.Json(new HealthReport("not ready", version), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
#pragma warning disable CA1031 // Any probe failure means "not ready", never a crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ServerLog.ProbeFailed(loggers.CreateLogger(typeof(HealthEndpoints)), e);
            return Results.Json(new HealthReport("not ready", null), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private sealed record HealthReport(string Status, string? Libvips);
}
