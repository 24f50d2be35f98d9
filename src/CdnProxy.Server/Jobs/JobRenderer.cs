using CdnProxy.Core;
using CdnProxy.Core.Pipeline;

namespace CdnProxy.Server.Jobs;

/// <summary>
/// Renders a job's image through the same pipeline as URLs, and describes one through the same info service as
/// <c>?info</c> and the info API. A URL refused for a passing reason is retried by its
/// client; a job has no client waiting, so it waits and tries again itself until its own time runs out, instead of
/// failing: when the server is busy (503 <c>overloaded</c>), backing off from <see cref="FirstWait"/> to
/// <see cref="LongestWait"/>; when the input's origin asked us to wait (503 <c>origin_throttled</c>), for the time left
/// of that pause, during which <see cref="OriginCooldowns"/> keeps every call off the origin anyway.
/// </summary>
public sealed class JobRenderer(ImagePipeline pipeline, ImageInfoService info, TimeProvider time)
{
    public static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(4);

    public Task<ImageResponse> RenderAsync(ImageRequest request, CancellationToken cancellationToken) =>
        RetryWhileHeldBackAsync(token => pipeline.HandleAsync(request, token), time, cancellationToken);

    public Task<ImageInfoResponse> DescribeAsync(ImageRequest request, InfoExtras extras, CancellationToken cancellationToken) =>
        RetryWhileHeldBackAsync(token => info.DescribeAsync(request, extras, token), time, cancellationToken);

    /// <summary>
    /// Runs <paramref name="render"/> until it is neither refused as overloaded nor held by a paused origin, or
    /// <paramref name="cancellationToken"/> ends the wait.
    /// </summary>
    public static async Task<T> RetryWhileHeldBackAsync<T>(Func<CancellationToken, Task<T>> render, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(render);
        var wait = FirstWait;
        while (true)
        {
            try
            {
                return await render(cancellationToken).ConfigureAwait(false);
            }
            catch (CdnException e) when (e.Kind == CdnErrorKind.Overloaded && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                wait = NextWait(wait);
            }
            catch (CdnException e) when (e.Kind == CdnErrorKind.OriginThrottled && !cancellationToken.IsCancellationRequested)
            {
                // Asking before the pause ends would only be held again; at least FirstWait, so a pause about to end is no busy loop.
                await Task.Delay(e.RetryAfter > FirstWait ? e.RetryAfter.Value : FirstWait, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The wait after <paramref name="wait"/>: twice as long, at most <see cref="LongestWait"/>.</summary>
    public static TimeSpan NextWait(TimeSpan wait) => TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestWait.Ticks));
}
