using System.Diagnostics.Metrics;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Diagnostics;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Rendering;
using CdnProxy.Server.Caching;
using CdnProxy.Vips;

namespace CdnProxy.Server.Telemetry;

/// <summary>
/// The <c>CdnProxy</c> meter's observed values: renders running and queued, the render memory budget, the memory
/// tier, the Redis breaker, libvips' and the process's memory. Read when an exporter collects, never per request.
/// </summary>
public sealed class TelemetryGauges
{
    private static readonly string[] BreakerStates = ["closed", "half-open", "open", "isolated", "off"];

    public TelemetryGauges(IMeterFactory meters, RenderGate gate, RenderMemoryBudget budget, TieredRenditionCache cache, CacheHealth health)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(CdnProxyCounters.MeterName);
        meter.CreateObservableGauge("cdnproxy.renders.running", () => gate.Running, "{render}", "Renders running on the render workers");
        meter.CreateObservableGauge("cdnproxy.renders.queued", () => gate.Queued, "{render}", "Renders admitted and waiting for a worker");
        meter.CreateObservableGauge("cdnproxy.render.memory.reserved", () => budget.InUseBytes, "By", "Render memory budget held by running and queued renders");
        meter.CreateObservableGauge("cdnproxy.render.memory.limit", () => budget.LimitBytes, "By", "Render memory budget");
        meter.CreateObservableGauge("cdnproxy.rendition.cache.memory.size", () => cache.Memory.Size, "By", "Bytes of renditions in the memory tier");
        meter.CreateObservableGauge("cdnproxy.rendition.cache.memory.entries", () => cache.Memory.Count, "{rendition}", "Renditions in the memory tier");
        meter.CreateObservableGauge("cdnproxy.rendition.cache.purges.pending", () => cache.Pending?.Count ?? 0, "{original}", "Originals whose Redis purge failed and is being retried");
        meter.CreateObservableCounter("cdnproxy.rendition.cache.purges.dropped", () => cache.Pending?.Dropped ?? 0, "{original}", "Failed Redis purges dropped unretried because too many were pending");
        meter.CreateObservableGauge("cdnproxy.redis.breaker.state", () => BreakerMeasurements(health.Breaker), "{state}", "1 for the Redis breaker's current state (off without Redis)");
        meter.CreateObservableGauge("cdnproxy.vips.memory", () => VipsRuntime.TrackedMemory, "By", "Memory libvips tracks as allocated (pixel buffers)");
        meter.CreateObservableGauge("cdnproxy.process.working_set", () => Environment.WorkingSet, "By", "Resident memory of the process");
    }

    private static IEnumerable<Measurement<int>> BreakerMeasurements(string current) =>
        BreakerStates.Select(state => new Measurement<int>(state == current ? 1 : 0, new KeyValuePair<string, object?>("state", state)));
}
