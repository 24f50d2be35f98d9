using CdnProxy.Server.Endpoints;
using CdnProxy.Server.Hosting;
using CdnProxy.Server.Http;
using CdnProxy.Server.Jobs;
using CdnProxy.Server.Telemetry;
using CdnProxy.Server.Uploads;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateSlimBuilder(args);

// config/cdnproxy.json ships next to the binary; environment variables and the command line still win over it.
builder.Configuration
    .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", "cdnproxy.json"), optional: false, reloadOnChange: false)
    .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", $"cdnproxy.{builder.Environment.EnvironmentName}.json"), optional: true, reloadOnChange: false)
    .AddEnvironmentVariables()
    .AddCommandLine(args);

try
{
    builder.Services.AddCdnProxy();
    builder.AddCdnProxyTelemetry();
    builder.Services.AddUpstreamSite(builder.Configuration);

    var app = builder.Build();
    app.UseTrustedProxies();
    app.UseJsonErrorsForUnroutedRequests();
    app.UseCdnProxyManagement();
    app.UseCrossOriginAccess();
    app.MapCdnProxyHealth();
    app.MapImageEndpoint();
    app.MapImageInfo();
    app.MapCdnProxyApi();
    app.MapCdnProxyUploadApis();
    app.MapCdnProxyJobs();
    app.MapCdnProxyPublicApi();
    app.MapPlayground();
    app.MapUpstreamSite();
    app.Run();
    return 0;
}
catch (OptionsValidationException invalid)
{
    // A bad configuration stops the process at start-up, before any request, with exit code 2.
    await Console.Error.WriteLineAsync("CdnProxy: invalid configuration: " + string.Join(" ", invalid.Failures));
    return 2;
}
