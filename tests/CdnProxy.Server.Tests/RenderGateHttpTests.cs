using System.Net;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;
using CdnProxy.Core.Rendering;
using CdnProxy.Server.Tests.Caching;
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

    public void Dispose() => Directory.Delete(_origin, recursive: true);

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
