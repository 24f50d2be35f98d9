using System.Net;
using CdnProxy.Server.Streaming;
using CdnProxy.Server.Tests.Origins;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CdnProxy.Server.Tests.Streaming;

/// <summary><c>Http:MaxStoredFileStreams</c>: files sent as stored at once are capped, so slow clients cannot hold origins without bound.</summary>
public sealed class StoredFileStreamCapTests
{
    [Fact]
    public async Task OverTheCap_AStoredFileIsRefusedAtOnce_WithoutAskingTheOrigin_AndServedAgainOnceOneEnds()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = 0;
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref asked) == 1)
            {
                await held.Task; // the first stream stays open, as a slow client's would
            }

            await context.Response.WriteAsync("video bytes");
        });
        using var factory = origin.WebCloud(("CdnProxy:Http:MaxStoredFileStreams", "1"));
        using var client = factory.CreateClient();
        var streams = factory.Services.GetRequiredService<StoredFileStreaming>();

        var first = client.GetAsync("/v2/web/original/first.mp4");
        await Poll.UntilAsync(() => Volatile.Read(ref asked) == 1, TimeSpan.FromSeconds(30), "the first stream never reached the origin");
        using var refused = await client.GetAsync("/v2/web/original/second.mp4");
        held.SetResult();
        using var firstDone = await first;
        using var after = await client.GetAsync("/v2/web/original/third.mp4");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("\"overloaded\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (firstDone.StatusCode, after.StatusCode));
        Assert.Equal(2, asked); // the refused one never reached the origin
        Assert.Equal(0, streams.InFlight);
    }
}
