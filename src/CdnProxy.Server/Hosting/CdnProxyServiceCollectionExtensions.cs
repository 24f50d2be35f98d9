using CdnProxy.Core.Caching;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Server.Http;
using CdnProxy.Server.Origins;
using Microsoft.Extensions.Options;

namespace CdnProxy.Server.Hosting;

/// <summary>Composition of the CdnProxy services.</summary>
public static class CdnProxyServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>CdnProxy</c> options and registers the pipeline and its default adapters.</summary>
    public static IServiceCollection AddCdnProxy(this IServiceCollection services)
    {
        services.AddOptions<CdnProxyOptions>().BindConfiguration(CdnProxyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdnProxyOptions>, CdnProxyOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CdnProxyOptions>>().Value);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(TransformationCatalog.Default);
        services.AddSingleton<RenderPlanBinder>();
        services.AddSingleton(sp => new RenderGate(sp.GetRequiredService<CdnProxyOptions>().Render));
        services.AddSingleton(sp => sp.GetRequiredService<CdnProxyOptions>().Limits);
        services.AddSingleton(sp => new ImageEncoder(sp.GetRequiredService<CdnProxyOptions>().Encoding));
        services.AddSingleton<IImageRenderer, VipsImageRenderer>();
        services.AddSingleton<IOriginResolver, ConfiguredOriginResolver>();
        services.AddSingleton<IRenditionCache>(sp => new MemoryRenditionCache(sp.GetRequiredService<CdnProxyOptions>().Cache.Memory));
        services.AddSingleton<ImagePipeline>();
        services.AddSingleton<ImageResponseWriter>();
        services.AddHostedService<VipsStartupService>();
        return services;
    }
}
