using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using CdnProxy.Core;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Server.Hosting;

/// <summary>
/// Runs the URL grammar, the binder and a few tiny renders once before the server listens. Code is compiled on first
/// use (tiered compilation is off for throughput), so without this the first visitor's request paid ~0.5 s of
/// compilation; now start-up does.
/// </summary>
/// <remarks>
/// Its parts are resolved when it starts: they need libvips, which <see cref="VipsStartupService"/> starts first.
/// Once the server listens, a few requests to itself over loopback compile the HTTP path (Kestrel, routing, the image
/// endpoint, a cache miss ending in "not found"): they cost no origin I/O and nothing a client could see.
/// </remarks>
public sealed class WarmUpService(
    IServiceProvider services, IServer server, IHostApplicationLifetime lifetime, CdnProxyOptions options, ILogger<WarmUpService> logger) : IHostedService
{
    private static readonly string[] Patterns = ["t.resize(w:24,h:16)", "t.resize(w:20)~t.flip()~t.toFormat(f:webp,q:70)", "t.rotate(a:90)~t.toFormat(f:png)"];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        ResolveSampleUrls(services.GetRequiredService<RequestResolver>());
        var binder = services.GetRequiredService<RenderPlanBinder>();
        var renderer = services.GetRequiredService<VipsImageRenderer>();
        using var black = VipsImage.Black(48, 32, bands: 3);
        using (var sample = black + 128)
        {
            using var jpeg = new SourceImage(sample.JpegsaveBuffer());
            foreach (var pattern in Patterns)
            {
                var plan = binder.Bind(PatternGrammar.Parse(pattern));
                var context = new RenderContext(new RenderLimits(), 1);
                try
                {
                    _ = renderer.Estimate(jpeg, plan, context);
                    _ = renderer.Render(jpeg, plan, context);
                }
                catch (CdnException e)
                {
                    // A configuration can refuse even this (a tiny render deadline): warming up never stops start-up.
                    ServerLog.WarmUpSkipped(logger, e.Message);
                }
            }
        }

        ServerLog.WarmedUp(logger, clock.ElapsedMilliseconds);
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(() => RequestSelfAsync(lifetime.ApplicationStopping)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RequestSelfAsync(CancellationToken stopping)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(Loopback).FirstOrDefault(a => a is not null);
        if (address is null)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var paths = new List<string> { "/healthz/live" };
        // A cloud on a local folder: a reserved name there is refused without touching the disk (another origin
        // would be asked for it).
        var clouds = services.GetRequiredService<ICloudCatalog>();
        if (options.Clouds.Keys.FirstOrDefault(name => clouds.Find(name)?.Origin.Kind == "local") is { } cloud)
        {
            // A bad argument (pure stages, the error writer) and a reserved name: a miss that ends in "not found".
            paths.Add($"/v2/{cloud}/t.resize(w:x)/warm-up.jpg");
            paths.Add($"/v2/{cloud}/t.resize(w:24)/.cdnproxy-warm-up/probe.jpg");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            foreach (var path in paths)
            {
                await GetAsync(address, path, timeout.Token).ConfigureAwait(false);
            }

            ServerLog.WarmedUpHttp(logger, clock.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            ServerLog.WarmUpSkipped(logger, e.Message);
        }
    }

    // One HTTP/1.1 request over a plain socket, its answer read to the end and dropped. Not HttpClient: that would load
    // and compile the HTTP client stack (~400 types) on every replica, most of which never fetch over HTTP.
    private static async Task GetAsync(Uri address, string path, CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address.Host, address.Port, cancellationToken).ConfigureAwait(false);
        var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {address.Authority}\r\nConnection: close\r\n\r\n");
        await socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[4096];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    // http only: the loopback form of a bound address (wildcards become 127.0.0.1).
    private static Uri? Loopback(string address)
    {
        var text = address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal);
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp ? uri : null;
    }

    // Pure stages only (split, cloud, signature, grammar, binding, key): nothing is fetched.
    private void ResolveSampleUrls(RequestResolver resolver)
    {
        foreach (var cloud in options.Clouds.Keys.Take(1))
        {
            foreach (var path in new[] { $"/v2/{cloud}/t.resize(w:100)~t.flip()/warm-up.jpg", $"/v2/{cloud}/original/warm-up.png", $"/v2/{cloud}/t.resize(w:x)/warm-up.jpg" })
            {
                try
                {
                    _ = resolver.Resolve(new ImageRequest(path, "2", null, string.Empty) { RawTarget = path, Host = "localhost", FormatAuto = "true", Accept = "image/webp" });
                }
                catch (CdnException)
                {
                    // Signed clouds and the bad pattern fail here: the error path is compiled too.
                }
            }
        }
    }
}
