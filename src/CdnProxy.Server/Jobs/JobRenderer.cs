using CdnProxy.Core;
using CdnProxy.Core.Pipeline;

namespace CdnProxy.Server.Jobs;

/// <summary>
/// Renders a job's image through the same pipeline as URLs. A URL refused because the server is busy (503
/// <c>overloaded</c>) is retried by its client; a job has no client waiting, so it waits and tries again itself (backing
/// off from <see cref="FirstWait"/> to <see cref="LongestWait"/>) until its own time runs out, instead of failing for a
/// passing reason.
/// </summary>
public sealed class JobRenderer(ImagePipeline pipeline, TimeProvider time)
{
    public static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(4);

    public Task<ImageResponse> RenderAsync(ImageRequest request, CancellationToken cancellationToken) =>
        RetryWhileOverloadedAsync(token => pipeline.HandleAsync(request, token), time, cancellationToken);

    /// <summary>Runs <paramref name="render"/> until it is not refused as overloaded, or <paramref name="cancellationToken"/> ends the wait.</summary>
    public static async Task<T> RetryWhileOverloadedAsync<T>(Func<CancellationToken, Task<T>> render, TimeProvider time, CancellationToken cancellationToken)
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
        }
    }

    /// <summary>The wait after <paramref name="wait"/>: twice as long, at most <see cref="LongestWait"/>.</summary>
    public static TimeSpan NextWait(TimeSpan wait) => TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestWait.Ticks));
}
