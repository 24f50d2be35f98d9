using System.Collections.Concurrent;
using CdnProxy.Server.Tests.Origins;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>A loopback HTTP server that records the webhooks POSTed to it; other requests go to <c>other</c>.</summary>
internal sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Body, HeaderDictionary Headers)> _calls = new();
    private LoopbackHttpOrigin? _server;

    public LoopbackHttpOrigin Server => _server!;

    public static async Task<CallbackReceiver> StartAsync(RequestDelegate? other = null)
    {
        var receiver = new CallbackReceiver();
        receiver._server = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            if (context.Request.Method != "POST")
            {
                await (other?.Invoke(context) ?? Task.CompletedTask);
                return;
            }

            using var reader = new StreamReader(context.Request.Body);
            var headers = new HeaderDictionary();
            foreach (var (name, value) in context.Request.Headers)
            {
                headers[name] = value;
            }

            receiver._calls.Enqueue((await reader.ReadToEndAsync(), headers));
        });
        return receiver;
    }

    public string Url(string path) => new Uri(Server.BaseUrl, path).AbsoluteUri;

    /// <summary>Waits up to 20 s for a delivery, then a little more for a duplicate; asserts exactly one, signed with <paramref name="secret"/>.</summary>
    public async Task<string> SingleSignedAsync(string secret)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_calls.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(500);
        var call = Assert.Single(_calls);
        new StandardWebhook(secret).Verify(call.Body, call.Headers); // throws when the signature is wrong
        return call.Body;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
