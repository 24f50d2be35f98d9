using CdnProxy.Server.Endpoints;
using CdnProxy.Server.Hosting;

var builder = WebApplication.CreateSlimBuilder(args);

// config/cdnproxy.json ships next to the binary; environment variables and the command line still win over it.
builder.Configuration
    .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", "cdnproxy.json"), optional: false, reloadOnChange: false)
    .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", $"cdnproxy.{builder.Environment.EnvironmentName}.json"), optional: true, reloadOnChange: false)
    .AddEnvironmentVariables()
    .AddCommandLine(args);

builder.Services.AddCdnProxy();

var app = builder.Build();
app.MapCdnProxyHealth();
app.MapImageEndpoint();
app.Run();
