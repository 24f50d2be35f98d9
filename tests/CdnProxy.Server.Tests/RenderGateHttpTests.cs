using System.Net;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;
using CdnProxy.Core.Rendering;
using CdnProxy.Server.Tests.Caching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CdnProxy.Server.Tests;

/// <summary>
/// A full render gate refuses over HTTP without waiting: 503 with Retry-After and no-store, and the refused requests
/// never reach the renderer (how fast that is, is measured by bench/abuse.sh, not here).
/// </summary>
public sealed class RenderGateHttpTests : IDisposable
{
    private readonly string _origin = Replica.CreateOriginFolder();
    private readonly List<IDisposable> _disposables = [];

    public void Dispose()
    {
        // Released first: a render still held would keep the server from stopping.
        _disposables.ForEach(d => d.Dispose());
        Directory.Delete(_origin, recursive: true);
    }

    [Fact]
    public async Task GateFull_Answers503WithRetryAfter_WithoutRendering()
    {
        using var replica = new Replica(null, _origin, new() { ["CdnProxy:Render:Workers"] = "1", ["CdnProxy:Render:QueueLimit"] = "0", ["CdnProxy:Render:RetryAfterSeconds"] = "2" });
        using var blocking = new BlockingRenderer();
        using var factory = replica.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.RemoveAll<IImageRenderer>();
            services.AddSingleton<IImageRenderer>(sp => blocking.Wrap(sp.GetRequiredService<VipsImageRenderer>()));
        }));
        using var client = factory.CreateClient();
        using (var warm = await client.GetAsync(new Uri("/v2/shared/original/small.jpg", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        blocking.Block();
        var busy = client.GetAsync(new Uri("/v2/shared/t.resize(w:10)/small.jpg", UriKind.Relative));
        Assert.True(blocking.Entered.Wait(TimeSpan.FromSeconds(30)));

        var rendersBefore = blocking.Calls;
        for (var width = 11; width < 14; width++)
        {
            using var refused = await client.GetAsync(new Uri($"/v2/shared/t.resize(w:{width})/small.jpg", UriKind.Relative));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("no-store", refused.Headers.CacheControl?.ToString());
        }

        Assert.Equal(rendersBefore, blocking.Calls);

        blocking.Release();
        using var done = await busy;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
    }

    [Fact]
    public async Task SlowChains_WaitInTheHeavyLane_WhileOrdinaryRendersGoOn()
    {
        // Light in memory, heavy in CPU (four 3×3 medians on 3.4 MP: ~1.6 s estimated): the estimate alone makes them
        // heavy. Held inside the renderer, each keeps its worker as a slow render would.
        using var replica = new Replica(null, _origin, new()
        {
            ["CdnProxy:Render:Workers"] = "2",
            ["CdnProxy:Render:HeavyWorkers"] = "1",
            ["CdnProxy:Render:HeavyRenderBytes"] = "1000000000",
            ["CdnProxy:Render:QueueTimeoutMilliseconds"] = "60000", // the second chain waits until released, however slow the box
            // And renders may be slow too: on a box busy with other work the first chain once answered 503 after the
            // 10-s deadline, which is not what this test is about (the estimate, ~1.6 s, is far from any refusal).
            ["CdnProxy:Limits:RenderTimeout"] = "00:01:00",
        });
        using var blocking = new BlockingRenderer(plan => plan.Canonical.Contains("t.median", StringComparison.Ordinal));
        using var factory = replica.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.RemoveAll<IImageRenderer>();
            services.AddSingleton<IImageRenderer>(sp => blocking.Wrap(sp.GetRequiredService<VipsImageRenderer>()));
        }));
        using var client = factory.CreateClient();
        const string chain = "t.median(s:3)~t.median(s:3)~t.median(s:3)~t.median(s:3)";

        blocking.Block();
        var first = client.GetAsync(new Uri($"/v2/shared/{chain}/flower.jpg?v=1", UriKind.Relative));
        Assert.True(blocking.Entered.Wait(TimeSpan.FromSeconds(30)));
        var second = client.GetAsync(new Uri($"/v2/shared/{chain}/flower.jpg?v=2", UriKind.Relative));
        // Only once the second chain waits in the heavy lane does the ordinary render below test anything: sent
        // earlier, it could have been rendered before the second chain asked for a worker at all.
        var gate = factory.Services.GetRequiredService<RenderGate>();
        await Poll.UntilAsync(() => gate.Queued >= 1, TimeSpan.FromSeconds(30), "the second chain never queued");

        // The other worker stays free for ordinary renders; counted by memory alone, the second chain would take it.
        using (var ordinary = await client.GetAsync(new Uri("/v2/shared/t.resize(w:20)/small.jpg", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ordinary.StatusCode);
        }

        blocking.Release();
        using var firstDone = await first;
        using var secondDone = await second;
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (firstDone.StatusCode, secondDone.StatusCode));
    }

    [Fact]
    public async Task GateFull_AnotherClientsRender_TakesTheNewestPlaceOfTheClientHoldingTheGate()
    {
        var (factory, blocking) = FairShareServer(trustedProxies: "127.0.0.1");
        using var client = factory.CreateClient();
        var (running, queued, newest) = await FillTheGateAsync(factory, blocking, client);

        // The gate is full (one running, two queued): the greedy client's next render is refused at once, another
        // client's takes the place of the greedy one's newest, which is answered 503 without rendering.
        using (var more = await Send(client, "w:13", Greedy))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, more.StatusCode);
        }

        var other = Send(client, "w:20", "198.51.100.9");
        using (var refused = await newest.WaitAsync(TimeSpan.FromSeconds(30)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("no-store", refused.Headers.CacheControl?.ToString());
        }

        blocking.Release();
        using var otherDone = await other;
        using var runningDone = await running;
        using var queuedDone = await queued;
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (otherDone.StatusCode, runningDone.StatusCode, queuedDone.StatusCode));
    }

    [Fact]
    public async Task GateFull_ForwardedForFromAnUnlistedPeer_IsNotAnotherClient()
    {
        var (factory, blocking) = FairShareServer(trustedProxies: "10.0.0.0/8");
        using var client = factory.CreateClient();
        var (running, queued, newest) = await FillTheGateAsync(factory, blocking, client);

        // The peer (127.0.0.1) is no listed proxy: its X-Forwarded-For is ignored, and a client cannot make itself
        // look like many by writing addresses there.
        using (var spoofed = await Send(client, "w:20", "198.51.100.9"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, spoofed.StatusCode);
        }

        blocking.Release();
        foreach (var response in await Task.WhenAll(running, queued, newest))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
    }

    private const string Greedy = "203.0.113.7";

    /// <summary>One worker and room for two renders queued, every render held while blocked, every connection from 127.0.0.1.</summary>
    private (WebApplicationFactory<Program> Factory, BlockingRenderer Blocking) FairShareServer(string trustedProxies)
    {
        var replica = new Replica(null, _origin, new()
        {
            ["CdnProxy:Render:Workers"] = "1",
            ["CdnProxy:Render:QueueLimit"] = "2",
            ["CdnProxy:Render:QueueTimeoutMilliseconds"] = "60000",
            ["CdnProxy:Http:TrustedProxies"] = trustedProxies,
        });
        var blocking = new BlockingRenderer();
        var factory = replica.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.RemoveAll<IImageRenderer>();
            services.AddSingleton<IImageRenderer>(sp => blocking.Wrap(sp.GetRequiredService<VipsImageRenderer>()));
            // The test server has no socket: every request comes as if from a proxy on this machine.
            services.AddSingleton<IStartupFilter, LoopbackPeer>();
        }));
        _disposables.AddRange([blocking, factory, replica]);
        return (factory, blocking);
    }

    /// <summary>The greedy client's three renders: one running (held), two queued; the gate is then full.</summary>
    private static async Task<(Task<HttpResponseMessage> Running, Task<HttpResponseMessage> Queued, Task<HttpResponseMessage> Newest)> FillTheGateAsync(
        WebApplicationFactory<Program> factory, BlockingRenderer blocking, HttpClient client)
    {
        blocking.Block();
        var running = Send(client, "w:10", Greedy);
        Assert.True(blocking.Entered.Wait(TimeSpan.FromSeconds(30)));
        var gate = factory.Services.GetRequiredService<RenderGate>();
        // One after the other: sent together, either could queue first and be the one another client displaces.
        var queued = Send(client, "w:11", Greedy);
        await Poll.UntilAsync(() => gate.Queued >= 1, TimeSpan.FromSeconds(30), "the greedy client's render never queued");
        var newest = Send(client, "w:12", Greedy);
        await Poll.UntilAsync(() => gate.Queued >= 2, TimeSpan.FromSeconds(30), "the greedy client's renders never queued");
        return (running, queued, newest);
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string resize, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v2/shared/t.resize({resize})/small.jpg", UriKind.Relative));
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }

    private sealed class LoopbackPeer : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>Holds renders (those <c>blocks</c> picks; all by default) while blocked.</summary>
    private sealed class BlockingRenderer(Func<RenderPlan, bool>? blocks = null) : IDisposable
    {
        private readonly ManualResetEventSlim _gate = new(initialState: true);

        private int _calls;

        public ManualResetEventSlim Entered { get; } = new();

        public int Calls => Volatile.Read(ref _calls);

        public void Block() => _gate.Reset();

        private bool Holds(RenderPlan plan) => blocks?.Invoke(plan) ?? true;

        public void Release() => _gate.Set();

        public IImageRenderer Wrap(IImageRenderer inner) => new Renderer(this, inner);

        public void Dispose()
        {
            _gate.Set();
            _gate.Dispose();
            Entered.Dispose();
        }

        private sealed class Renderer(BlockingRenderer owner, IImageRenderer inner) : IImageRenderer
        {
            public RenderCost Estimate(SourceImage source, RenderPlan plan, RenderContext context) =>
                inner.Estimate(source, plan, context);

            public RenderedImage Render(SourceImage source, RenderPlan plan, RenderContext context)
            {
                Interlocked.Increment(ref owner._calls);
                if (!owner._gate.IsSet && owner.Holds(plan))
                {
                    owner.Entered.Set();
                    owner._gate.Wait(TimeSpan.FromSeconds(30));
                }

                return inner.Render(source, plan, context);
            }
        }
    }
}
