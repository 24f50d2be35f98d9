using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>A real HTTP origin (Kestrel) on a free loopback port, answering with <c>handler</c>; counts requests.</summary>
internal sealed class LoopbackHttpOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private LoopbackHttpOrigin(WebApplication app)
    {
        _app = app;
    }

    public int Port { get; private set; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The raw request targets received, in order.</summary>
    public List<string> Targets { get; } = [];

    public static async Task<LoopbackHttpOrigin> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var origin = new LoopbackHttpOrigin(app);
        app.Run(context =>
        {
            Interlocked.Increment(ref origin._requests);
            lock (origin.Targets)
            {
                origin.Targets.Add(context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget);
            }

            return handler(context);
        });
        await app.StartAsync();
        origin.Port = new Uri(app.Urls.First()).Port;
        return origin;
    }

    /// <summary>A CdnProxy server whose cloud <c>web</c> is this origin (private networks allowed), with <paramref name="settings"/> on top.</summary>
    public CdnProxyFactory WebCloud(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:web:Origin:Type"] = "http",
            ["CdnProxy:Clouds:web:Origin:BaseUrl"] = BaseUrl.ToString(),
            ["CdnProxy:Clouds:web:Origin:AllowPrivateNetworks"] = "true",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new CdnProxyFactory(all);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// A TCP listener on every loopback address (IPv4 and IPv6, dual mode) of one port that only counts connections:
/// the proof that a refused origin was never connected to.
/// </summary>
internal sealed class ConnectionCountingListener : IDisposable
{
    private readonly System.Net.Sockets.TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public ConnectionCountingListener()
    {
        _listener = new System.Net.Sockets.TcpListener(IPAddress.IPv6Any, 0);
        _listener.Server.DualMode = true;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    public int Connections => Volatile.Read(ref _connections);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // Stopped.
        }
    }
}
