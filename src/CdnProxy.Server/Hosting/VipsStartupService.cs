using CdnProxy.Core.Pipeline;
using CdnProxy.Vips;

namespace CdnProxy.Server.Hosting;

/// <summary>Loads and configures libvips before the server takes requests; start-up fails if it cannot.</summary>
public sealed class VipsStartupService : IHostedService
{
    private readonly CdnProxyOptions _options;
    private readonly RenderGate _gate;
    private readonly ILogger<VipsStartupService> _logger;

    public VipsStartupService(CdnProxyOptions options, RenderGate gate, ILogger<VipsStartupService> logger)
    {
        _options = options;
        _gate = gate;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = NativeHeap.Configure(_options.Vips.MmapThresholdBytes, arenas: 2);

        var info = VipsRuntime.Initialize(new VipsSettings
        {
            Concurrency = _options.Vips.Concurrency > 0 ? _options.Vips.Concurrency : Environment.ProcessorCount,
            WarningSink = message => ServerLog.VipsWarning(_logger, message),
        });
        ServerLog.VipsLoaded(_logger, info.Version, info.Source, info.LibraryPath, info.Concurrency, _gate.Workers);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
