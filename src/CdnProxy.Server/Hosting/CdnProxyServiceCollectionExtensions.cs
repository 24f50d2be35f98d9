using CdnProxy.Core.Caching;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Server.Api;
using CdnProxy.Server.Caching;
using CdnProxy.Server.Endpoints;
using CdnProxy.Server.Http;
using CdnProxy.Server.Jobs;
using CdnProxy.Server.Origins;
using CdnProxy.Server.Origins.Http;
using CdnProxy.Server.Telemetry;
using CdnProxy.Server.Uploads;
using System.Diagnostics.Metrics;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Urls.Presets;
using CdnProxy.Urls.Security;
using CdnProxy.Vips;
using Microsoft.Extensions.Options;

namespace CdnProxy.Server.Hosting;

/// <summary>Composition of the CdnProxy services.</summary>
public static class CdnProxyServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>CdnProxy</c> options and registers the pipeline and its default adapters.</summary>
    public static IServiceCollection AddCdnProxy(this IServiceCollection services)
    {
        services.AddOptions<CdnProxyOptions>()
            .Configure<IConfiguration>((options, configuration) =>
                UnreadableSetting.Guard(() => configuration.GetSection(CdnProxyOptions.SectionName).Bind(options)))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdnProxyOptions>, CdnProxyOptionsValidator>();
        services.AddSingleton(OriginKindCatalog.Default);
        services.AddSingleton<IPostConfigureOptions<CdnProxyOptions>, OriginOptionsBinder>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CdnProxyOptions>>().Value);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(TransformationCatalog.Default);
        services.AddSingleton<RenderPlanBinder>();
        services.AddSingleton(sp => new RenderThreads(sp.GetRequiredService<CdnProxyOptions>().Vips.Concurrency, Environment.ProcessorCount));
        services.AddSingleton(sp => new RenderGate(
            sp.GetRequiredService<CdnProxyOptions>().Render,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<RenderThreads>().OnRunningChanged,
            sp.GetRequiredService<RenderMemoryBudget>()));
        services.AddSingleton(sp => sp.GetRequiredService<CdnProxyOptions>().Limits);
        // Resolved after VipsStartupService has started libvips, which probed the encoders.
        services.AddSingleton(_ => EncoderCapabilities.FromRuntime());
        services.AddSingleton(sp => new ImageEncoder(sp.GetRequiredService<CdnProxyOptions>().Encoding, sp.GetRequiredService<EncoderCapabilities>()));
        services.AddSingleton(sp => RenderProfile.From(
            sp.GetRequiredService<CdnProxyOptions>().Encoding,
            sp.GetRequiredService<EncoderCapabilities>(),
            (VipsRuntime.Info ?? throw new InvalidOperationException("libvips is not initialised")).Version));
        services.AddSingleton<RenderWatchdog>();
        services.AddSingleton(sp => new RenderMemoryBudget(sp.GetRequiredService<CdnProxyOptions>().Limits.RenderMemoryBytes));
        services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<CdnProxyOptions>().Limits;
            return new VipsImageRenderer(
                sp.GetRequiredService<ImageEncoder>(),
                sp.GetRequiredService<TimeProvider>(),
                limits.RenderTimeout > TimeSpan.Zero ? limits.RenderTimeout : Timeout.InfiniteTimeSpan,
                sp.GetRequiredService<RenderWatchdog>(),
                sp.GetRequiredService<CdnProxy.Core.Transformations.Faces.IFaceDetector>());
        });
        services.AddSingleton(sp => CdnProxy.Server.Faces.FaceDetectorFactory.Create(
            sp.GetRequiredService<CdnProxyOptions>().Faces,
            sp.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>().ContentRootPath,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CdnProxy.Server.Faces.FaceDetectorFactory))));
        services.AddSingleton<IImageRenderer>(sp => sp.GetRequiredService<VipsImageRenderer>());
        services.AddOriginHttpClients();
        services.AddSingleton<OriginStoreFactory>();
        services.AddSingleton<ICloudCatalog, ConfiguredCloudCatalog>();
        services.AddSingleton(sp => PresetCatalog.FromOptions(sp.GetRequiredService<CdnProxyOptions>().Presets));
        services.AddSingleton(sp => new SigningKeyRing(
            sp.GetRequiredService<CdnProxyOptions>().Signing.Keys.Select(k => new SigningKey(k.AccessKey, k.Token)
            {
                Clouds = k.Clouds.ToHashSet(StringComparer.Ordinal),
            })));
        services.AddSingleton(sp =>
        {
            var signing = sp.GetRequiredService<CdnProxyOptions>().Signing;
            return new SignatureVerifierOptions
            {
                ClockSkew = TimeSpan.FromSeconds(signing.ClockSkewSeconds),
                MaxLifetime = signing.MaxLifetimeSeconds is { } max ? TimeSpan.FromSeconds(max) : null,
                AllowUnsignedQuery = signing.AllowUnsignedQuery,
            };
        });
        services.AddSingleton(sp => sp.GetRequiredService<CdnProxyOptions>().Limits.Pattern);
        services.AddSingleton<RequestResolver>();
        services.AddRenditionCaching();
        services.AddSingleton(sp => new ApiKeyVerifier(sp.GetRequiredService<CdnProxyOptions>().Api));
        services.AddSingleton(sp => new PipelineMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton<TelemetryGauges>();
        // One per process, shared by renders and info: an origin paused for one is paused for both.
        services.AddSingleton(sp => new OriginCooldowns(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<RenditionCachePolicy>(), sp.GetRequiredService<ILogger<OriginCooldowns>>(),
            sp.GetRequiredService<CdnProxyCounters>()));
        services.AddSingleton<ImagePipeline>();
        services.AddSingleton<ImageInfoService>();
        services.AddCdnProxyUploads();
        services.AddCdnProxyJobs();
        services.AddSingleton<ImageResponseWriter>();
        services.AddSingleton<Streaming.StoredFileStreaming>();
        services.AddSingleton<ListableClouds>();
        services.AddSingleton(sp => new CatalogBody(CatalogDocument.Body(
            sp.GetRequiredService<TransformationCatalog>(), sp.GetRequiredService<CdnProxyOptions>().Limits.Pattern)));
        services.AddSingleton<PlaygroundFiles>();
        services.AddHostedService<KeyScopeCheck>();
        services.AddHostedService<VipsStartupService>();
        services.AddHostedService<WarmUpService>();
        services.AddHostedService<JobsHostedService>();
        services.AddHostedService<MemoryTrimService>();
        return services;
    }
}
