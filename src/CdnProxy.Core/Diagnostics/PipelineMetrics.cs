using System.Diagnostics.Metrics;

namespace CdnProxy.Core.Diagnostics;

/// <summary>
/// Duration histograms of the <c>CdnProxy</c> meter: image requests by status and cache outcome, renders by output
/// format and first operation, origin fetches by origin kind and outcome. Every tag value comes from a closed set
/// (status codes, catalogue names, configured origin kinds), never from the URL, so series stay bounded.
/// </summary>
public sealed class PipelineMetrics
{
    // Seconds, as OpenTelemetry's semantic conventions ask, with buckets from a cache hit to a render deadline.
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly InstrumentAdvice<double> Advice = new() { HistogramBucketBoundaries = Buckets };

    private readonly Histogram<double> _requests;
    private readonly Histogram<double> _renders;
    private readonly Histogram<double> _fetches;

    public PipelineMetrics(IMeterFactory? meters = null)
    {
        var meter = meters?.Create(CdnProxyCounters.MeterName) ?? new Meter(CdnProxyCounters.MeterName);
        _requests = meter.CreateHistogram<double>(
            "cdnproxy.request.duration", "s", "Image requests, from the URL to the last byte written", tags: null, advice: Advice);
        _renders = meter.CreateHistogram<double>(
            "cdnproxy.render.duration", "s", "Renders on a render worker (decode, transform, encode)", tags: null, advice: Advice);
        _fetches = meter.CreateHistogram<double>(
            "cdnproxy.origin.fetch.duration", "s", "Fetches of an original and the files its plan references", tags: null, advice: Advice);
    }

    /// <param name="duration">From the URL to the last byte written.</param>
    /// <param name="status">The HTTP status answered.</param>
    /// <param name="cache">How the rendition was found: <see cref="CacheOutcomes"/>.</param>
    public void RecordRequest(TimeSpan duration, int status, string cache) =>
        _requests.Record(duration.TotalSeconds, new("http.response.status_code", status), new("cdnproxy.cache", cache));

    /// <param name="duration">Decode, transform and encode.</param>
    /// <param name="format">The output format (<c>jpeg</c>, <c>webp</c>…).</param>
    /// <param name="operation">The plan's first operation (<c>t.resize</c>…), or <c>none</c> for an unchanged original.</param>
    public void RecordRender(TimeSpan duration, string format, string operation) =>
        _renders.Record(duration.TotalSeconds, new("cdnproxy.format", format), new("cdnproxy.operation", operation));

    /// <param name="duration">The original and the files its plan references.</param>
    /// <param name="originKind">The origin's kind (<c>local</c>, <c>s3</c>, <c>http</c>…).</param>
    /// <param name="outcome"><c>ok</c>, <c>not_found</c> or <c>error</c>.</param>
    public void RecordFetch(TimeSpan duration, string originKind, string outcome) =>
        _fetches.Record(duration.TotalSeconds, new("cdnproxy.origin.kind", originKind), new("cdnproxy.outcome", outcome));
}
