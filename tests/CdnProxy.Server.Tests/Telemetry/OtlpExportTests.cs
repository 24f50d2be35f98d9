using System.Collections.Concurrent;
using System.Net;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Telemetry;

/// <summary>
/// The real server process exporting to an OTLP/HTTP receiver on loopback: stage spans and logs arrive, both under
/// the trace the client started.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task OtlpEndpointSet_ExportsStageSpansAndLogsUnderTheCallersTrace()
    {
        using var receiver = new OtlpReceiver(LoopbackPorts.Next());
        using var server = await ServerProcess.StartAsync(ManagementEndpointTests.Settings(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
        }));
        using var client = new HttpClient();
        var traceId = Convert.FromHexString("4bf92f3577b34da6a3ce929d0e0e4736");

        // Rendered, and one refused after the fetch (its log record is Information).
        using var rendered = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Address, "/v2/demo/t.resize(w:65)/photo-3mp-flower.jpg"));
        rendered.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        using var refused = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Address, "/v2/demo/t.resize(w:8000)~t.rotate(a:45)/photo-3mp-flower.jpg?dpr=5"));
        refused.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b8-01");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(rendered)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.SendAsync(refused)).StatusCode);

        // Stages end a few milliseconds apart, so they may arrive in different export batches: wait for all of them.
        var stages = new[] { "cdnproxy.cache", "cdnproxy.fetch", "cdnproxy.render", "cdnproxy.encode", "cdnproxy.store" }
            .Select(System.Text.Encoding.UTF8.GetBytes)
            .ToArray();
        var spans = await receiver.WaitForAsync("/v1/traces", body => stages.All(stage => Contains(body, stage)));
        var logs = await receiver.WaitForAsync("/v1/logs", body => Contains(body, "limit_exceeded"u8) || Contains(body, "LimitExceeded"u8));

        foreach (var stage in stages)
        {
            Assert.True(Contains(spans, stage), System.Text.Encoding.UTF8.GetString(stage) + " span missing");
        }

        Assert.True(Contains(spans, traceId), "the spans are not in the caller's trace");
        Assert.True(Contains(logs, traceId), "the log record does not carry the caller's trace id");
    }

    private static bool Contains(byte[] body, ReadOnlySpan<byte> value) => body.AsSpan().IndexOf(value) >= 0;

    /// <summary>Collects the bodies posted to an OTLP/HTTP endpoint (protobuf: strings and ids appear as raw bytes).</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _bodies = new();

        public OtlpReceiver(int port)
        {
            Address = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _ = Task.Run(ReceiveAsync);
        }

        public string Address { get; }

        /// <summary>
        /// All bodies posted to <paramref name="path"/> so far, concatenated, once they match together or after 30 s
        /// (then the caller's assertions say what is missing).
        /// </summary>
        public async Task<byte[]> WaitForAsync(string path, Func<byte[], bool> match)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var all = _bodies.GetValueOrDefault(path)?.SelectMany(b => b).ToArray() ?? [];
                if (match(all) || DateTime.UtcNow > deadline)
                {
                    return all;
                }

                await Task.Delay(100);
            }
        }

        public void Dispose() => _listener.Close();

        private async Task ReceiveAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                _bodies.GetOrAdd(context.Request.Url!.AbsolutePath, _ => new()).Enqueue(body.ToArray());
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }
    }
}
