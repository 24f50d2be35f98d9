using System.Net;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Server.Tests.Telemetry;
using Microsoft.AspNetCore.Http;

namespace CdnProxy.Server.Tests.Streaming;

/// <summary>
/// The real server process with a <c>ReverseProxy</c> section (YARP's schema) routing everything to a loopback web
/// app: pages go upstream, image URLs, APIs and the probes stay CdnProxy's.
/// </summary>
public sealed class UpstreamSiteTests
{
    [Fact]
    public async Task PathsThatAreNotCdnProxys_GoToTheUpstreamSite()
    {
        await using var site = await LoopbackHttpOrigin.StartAsync(context =>
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("upstream " + context.Request.Path + context.Request.QueryString);
        });
        using var server = await ServerProcess.StartAsync(ManagementEndpointTests.Settings(new()
        {
            ["CdnProxy:Playground:Enabled"] = "false",
            ["ReverseProxy:Routes:site:ClusterId"] = "site",
            ["ReverseProxy:Routes:site:Match:Path"] = "{**catch-all}",
            ["ReverseProxy:Clusters:site:Destinations:app:Address"] = site.BaseUrl.ToString(),
        }));
        using var client = new HttpClient { BaseAddress = server.Address };

        var page = await client.GetStringAsync("/about/team?lang=en");
        using var image = await client.GetAsync("/v2/demo/t.resize(w:32)/photo-3mp-flower.jpg");
        using var unknownApi = await client.GetAsync("/api/v1/nothing-here");
        using var metrics = await client.GetAsync("/metrics");
        using var live = await client.GetAsync("/healthz/live");
        var upstreamRequests = site.Targets.ToList();

        Assert.Equal("upstream /about/team?lang=en", page);
        Assert.Equal((HttpStatusCode.OK, "image/jpeg"), (image.StatusCode, image.Content.Headers.ContentType!.MediaType));
        Assert.Equal(HttpStatusCode.NotFound, unknownApi.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(["/about/team?lang=en"], upstreamRequests);
    }
}
