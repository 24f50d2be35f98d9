using CdnProxy.Core.Origins;
using CdnProxy.Server.Origins;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>A server whose configured cloud <c>cloud</c> is bound as <c>rebind</c> makes it (its origin or store wrapped), the other clouds as configured.</summary>
internal static class ReboundCloud
{
    public static WebApplicationFactory<Program> WithCloudRebound(this CdnProxyFactory server, string cloud, Func<CloudBinding, CloudBinding> rebind) =>
        server.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ConfiguredCloudCatalog>();
            services.Replace(ServiceDescriptor.Singleton<ICloudCatalog>(sp => new Catalog(sp.GetRequiredService<ConfiguredCloudCatalog>(), rebind(sp.GetRequiredService<ConfiguredCloudCatalog>().Find(cloud)!))));
        }));

    private sealed class Catalog(ICloudCatalog configured, CloudBinding rebound) : ICloudCatalog
    {
        public CloudBinding? Find(string cloud) => cloud == rebound.Name ? rebound : configured.Find(cloud);

        public string? CloudForHost(string host) => configured.CloudForHost(host);
    }
}
