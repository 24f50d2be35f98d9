using CdnProxy.Core.Diagnostics;
using CdnProxy.Server.Caching;
using CdnProxy.Server.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.StackExchangeRedis;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CdnProxy.Server.Telemetry;

/// <summary>
/// OpenTelemetry for the host: metrics when a management listener or an OTLP endpoint is configured, traces and logs
/// when an OTLP endpoint is (the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). With neither, nothing listens and
/// the instruments cost next to nothing.
/// </summary>
public static class TelemetryRegistration
{
    private const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Binds the management listener beside the public URLs and registers the exporters that are configured.</summary>
    public static WebApplicationBuilder AddCdnProxyTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var publicUrls = PublicUrls(configuration);
        var failures = new List<string>();
        var management = ManagementListener.Parse(configuration[ManagementListener.UrlsKey], publicUrls, failures);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(CdnProxyOptions.SectionName, typeof(CdnProxyOptions), failures);
        }

        if (management.Count > 0)
        {
            // Explicit listeners replace the urls setting, so the public ones are bound again next to the management ones.
            builder.WebHost.UseUrls([.. publicUrls, .. management.Select(u => u.Url)]);
        }

        builder.Services.AddSingleton(new ManagementListener(management.Select(u => u.Port)));
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        if (management.Count == 0 && !otlp)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "cdnproxy"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CdnProxyCounters.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
                if (management.Count > 0)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (otlp)
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(CdnProxyActivities.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddRedisInstrumentation()
                    .ConfigureRedisInstrumentation(TraceRedis))
                .WithLogging()
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// On the management listener only <c>/metrics</c> and the health probes; on public ports <c>/metrics</c> does not
    /// exist. Also starts the gauges.
    /// </summary>
    public static WebApplication UseCdnProxyManagement(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.Services.GetRequiredService<TelemetryGauges>();
        var management = app.Services.GetRequiredService<ManagementListener>();
        if (!management.Enabled)
        {
            return app;
        }

        app.Use(next => context =>
        {
            if (management.Serves(context) && !IsProbe(context.Request.Path))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == "/metrics" && management.Serves(context));
        return app;
    }

    private static bool IsProbe(PathString path) => path == "/metrics" || path.StartsWithSegments("/healthz");

    // The multiplexer connects in the background; it is traced from the moment it exists.
    private static void TraceRedis(IServiceProvider services, StackExchangeRedisInstrumentation instrumentation)
    {
        if (services.GetRequiredService<RedisTier>().Connection is { } connection)
        {
            connection.Multiplexer.ContinueWith(
                task => instrumentation.AddConnection(task.Result),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default);
        }
    }

    /// <summary>The public URLs as ASP.NET Core would bind them: <c>urls</c>, else <c>http_ports</c>/<c>https_ports</c>, else its default.</summary>
    internal static List<string> PublicUrls(IConfiguration configuration)
    {
        if (ManagementListener.Split(configuration["urls"]).ToList() is { Count: > 0 } urls)
        {
            return urls;
        }

        var ports = ManagementListener.Split(configuration["http_ports"]).Select(p => $"http://*:{p}")
            .Concat(ManagementListener.Split(configuration["https_ports"]).Select(p => $"https://*:{p}"))
            .ToList();
        return ports.Count > 0 ? ports : ["http://localhost:5000"];
    }
}
