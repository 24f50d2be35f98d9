using System.Diagnostics;

namespace CdnProxy.Core.Diagnostics;

/// <summary>
/// The <c>CdnProxy</c> activity source: one span per pipeline stage under the request's span. Without a listener
/// (no trace exporter configured) starting a span returns null and costs next to nothing.
/// </summary>
public static class CdnProxyActivities
{
    public const string SourceName = "CdnProxy";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>A span for <paramref name="stage"/>, child of the current span; null when nobody listens.</summary>
    public static Activity? StartStage(string stage) => Source.StartActivity("cdnproxy." + stage);

    /// <summary>
    /// A span for a stage measured elsewhere (the renderer's decode and encode run on a render worker), placed
    /// by its duration: it ends now.
    /// </summary>
    public static void RecordStage(string stage, DateTimeOffset ended, TimeSpan duration)
    {
        if (!Source.HasListeners())
        {
            return;
        }

        using var activity = Source.StartActivity("cdnproxy." + stage, ActivityKind.Internal, parentContext: default, startTime: ended - duration);
        activity?.SetEndTime(ended.UtcDateTime);
    }
}
