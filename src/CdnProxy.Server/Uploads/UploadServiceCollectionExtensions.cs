using CdnProxy.Server.Endpoints;

namespace CdnProxy.Server.Uploads;

/// <summary>Composition of uploads, signed uploads, the assets API and PixLab's store.</summary>
public static class UploadServiceCollectionExtensions
{
    public static IServiceCollection AddCdnProxyUploads(this IServiceCollection services)
    {
        services.AddSingleton<UploadQuotas>();
        services.AddSingleton<UploadService>();
        services.AddSingleton<SignedUploadUrls>();
        services.AddSingleton<UploadRateLimiter>();
        return services;
    }

    /// <summary>Maps <c>/api/v1/upload*</c>, <c>/api/v1/assets*</c> and <c>/store</c>.</summary>
    public static IEndpointRouteBuilder MapCdnProxyUploadApis(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapCdnProxyUploads().MapCdnProxyAssets().MapPixLabStore();
}
