using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CdnProxy.Core;
using CdnProxy.Server.Origins.Http;
using Microsoft.AspNetCore.Http;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>The HTTP origin against a real loopback server (allowed by a policy that admits that one port only).</summary>
public sealed class HttpOriginStoreTests
{
    [Fact]
    public async Task Fetch_ReturnsTheBody_FromBelowTheBasePath_WithEachSegmentEncoded()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(context => context.Response.WriteAsync("body of " + context.Request.Path.Value));
        using var services = new OriginTestServices(new OneLoopbackEndpointPolicy(origin.Port));
        var store = services.Create(Options(origin, "http://127.0.0.1:{port}/base/path"));

        using var fetched = await store.FetchAsync("folder/a b%2e%2e?#.jpg", CancellationToken.None);

        Assert.Equal(["/base/path/folder/a%20b%252e%252e%3F%23.jpg"], origin.Targets);
        Assert.Equal("body of /base/path/folder/a b%2e%2e?#.jpg", Encoding.UTF8.GetString(fetched!.Content.Span));
    }

    [Theory]
    [InlineData("../secret.jpg")]
    [InlineData("a/../../secret.jpg")]
    [InlineData("./a.jpg")]
    [InlineData("a//b.jpg")]
    [InlineData("a\\..\\b.jpg")]
    [InlineData("a\0.jpg")]
    public async Task PathsThatCouldLeaveTheBasePath_AreNotFound_WithoutARequest(string filePath)
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(context => context.Response.WriteAsync("x"));
        using var services = new OriginTestServices(new OneLoopbackEndpointPolicy(origin.Port));
        var store = services.Create(Options(origin, "http://127.0.0.1:{port}/base/"));

        Assert.Null(await store.FetchAsync(filePath, CancellationToken.None));
        Assert.Equal(0, origin.Requests);
    }

    [Theory]
    [InlineData(404, null)]
    [InlineData(410, null)]
    [InlineData(403, CdnErrorKind.OriginFailed)]
    [InlineData(500, CdnErrorKind.OriginFailed)]
    [InlineData(503, CdnErrorKind.OriginFailed)]
    [InlineData(204, CdnErrorKind.OriginFailed)]
    public async Task StatusCodes_MapToNotFoundOrOriginFailed(int status, CdnErrorKind? expected)
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(context =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });
        using var services = new OriginTestServices(new OneLoopbackEndpointPolicy(origin.Port));
        var store = services.Create(Options(origin));

        if (expected is null)
        {
            Assert.Null(await store.FetchAsync("a.jpg", CancellationToken.None));
        }
        else
        {
            var error = await Assert.ThrowsAsync<CdnException>(() => store.FetchAsync("a.jpg", CancellationToken.None));
            Assert.Equal(expected, error.Kind);
        }
    }

    [Theory]
    [InlineData(429, "30", 30.0)]
    [InlineData(503, "7", 7.0)]
    [InlineData(503, "date+20", 20.0)]
    [InlineData(503, "0", null)]
    [InlineData(503, "date-20", null)]
    [InlineData(503, "soon", null)]
    [InlineData(500, "30", null)]
    public async Task RetryAfter_OnA429Or503_IsReportedAsOriginThrottled(int status, string retryAfter, double? expectedSeconds)
    {
        var now = DateTimeOffset.UtcNow;
        await using var origin = await LoopbackHttpOrigin.StartAsync(context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.RetryAfter = retryAfter.StartsWith("date", StringComparison.Ordinal)
                ? now.AddSeconds(int.Parse(retryAfter[4..], System.Globalization.CultureInfo.InvariantCulture)).ToString("R")
                : retryAfter;
            return context.Response.WriteAsync("origin body: internal details");
        });
        using var services = new OriginTestServices(new OneLoopbackEndpointPolicy(origin.Port));
        var store = services.Create(Options(origin));

        var error = await Assert.ThrowsAsync<CdnException>(() => store.FetchAsync("a.jpg", CancellationToken.None));

        Assert.DoesNotContain("origin body", error.Message, StringComparison.Ordinal);
        if (expectedSeconds is { } seconds)
        {
            Assert.Equal(CdnErrorKind.OriginThrottled, error.Kind);
            // An HTTP date has whole seconds, and the clock moved on since the header was made.
            Assert.InRange(error.RetryAfter!.Value.TotalSeconds, seconds - 2, seconds);
        }
        else
        {
            Assert.Equal(CdnErrorKind.OriginFailed, error.Kind);
            Assert.Null(error.RetryAfter);
        }
    }

    [Fact]
    public async Task DeclaredLengthOverTheCap_IsRejectedBeforeReadingTheBody()
    {
        // The origin declares 50 MB, sends 64 KB, then holds: only a client that never reads the body finishes quickly.
        var release = new TaskCompletionSource();
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            context.Response.ContentLength = 50_000_000;
            await context.Response.Body.WriteAsync(new byte[64 * 1024], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await release.Task.WaitAsync(context.RequestAborted);
        });
        using var services = new OriginTestServices(new OneLoopbackEndpointPolicy(origin.Port));
        var store = services.Create(Options(origin, maxBytes: 1_000_000, timeoutSeconds: 30));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<CdnException>(() => store.FetchAsync("a.jpg", CancellationToken.None));
        release.SetResult();

        Assert.Equal(CdnErrorKind.SourceTooLarge, error.Kind);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task BodyWithoutLengthOverTheCap_IsAbortedWhileStreaming_AndTheConnectionClosed()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            using var client = await server.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var header = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(header);
            var chunk = new byte[64 * 1024];
            long written = 0;
            try
            {
                // A never-ending body: only the client closing the connection stops it.
                while (written < 500_000_000)
                {
                    await stream.WriteAsync(chunk);
                    written += chunk.Length;
                }
            }
            catch (IOException)
            {
            }

            return written;
        });
        using var services = new OriginTestServices(new OneLoopbackEndpointPolicy(port));
        var store = services.Create(new HttpOriginOptions
        {
            BaseUrl = $"http://127.0.0.1:{port}/", MaxBytes = 1_000_000 });

        var error = await Assert.ThrowsAsync<CdnException>(() => store.FetchAsync("a.jpg", CancellationToken.None));
        var written = await serving.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(CdnErrorKind.SourceTooLarge, error.Kind);
        Assert.True(written < 50_000_000, $"the origin could write {written} bytes before the connection closed");
    }

    [Fact]
    public async Task DrippingBody_IsAbortedAtTheTotalTimeout()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            context.Response.ContentLength = 1000;
            for (var i = 0; i < 1000; i++)
            {
                await context.Response.Body.WriteAsync(new byte[1], context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(100, context.RequestAborted);
            }
        });
        using var services = new OriginTestServices(new OneLoopbackEndpointPolicy(origin.Port));
        var store = services.Create(Options(origin, timeoutSeconds: 1));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<CdnException>(() => store.FetchAsync("a.jpg", CancellationToken.None));

        // Only the total timeout can end it so (the bytes keep coming, the drip lasts 100 s): the upper bound just has
        // to stay far from 100 s, not within 2 s of the timeout, which a busy machine's timers and threads can miss.
        Assert.Equal(CdnErrorKind.OriginTimeout, error.Kind);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SlowHeaders_HitTheFirstByteTimeout()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            await context.Response.WriteAsync("late");
        });
        using var services = new OriginTestServices(new OneLoopbackEndpointPolicy(origin.Port));
        var store = services.Create(Options(origin, timeoutSeconds: 30, firstByteTimeoutSeconds: 0.5));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<CdnException>(() => store.FetchAsync("a.jpg", CancellationToken.None));

        // The total timeout (30 s) is past the origin's 10-s answer, so only the first-byte one can time it out, and
        // before 10 s: the upper bound need not sit within 2.5 s of it, which a busy machine can miss.
        Assert.Equal(CdnErrorKind.OriginTimeout, error.Kind);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(9));
    }

    [Fact]
    public async Task CallerCancellation_IsHonoured_AndNotReportedAsAnOriginError()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
        });
        using var services = new OriginTestServices(new OneLoopbackEndpointPolicy(origin.Port));
        var store = services.Create(Options(origin));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.FetchAsync("a.jpg", cancel.Token));
    }

    private static HttpOriginOptions Options(
        LoopbackHttpOrigin origin, string baseUrl = "http://127.0.0.1:{port}/", long maxBytes = 25_000_000,
        double timeoutSeconds = 5, double firstByteTimeoutSeconds = 3) => new()
    {
        BaseUrl = baseUrl.Replace("{port}", origin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
        MaxBytes = maxBytes,
        TimeoutSeconds = timeoutSeconds,
        FirstByteTimeoutSeconds = firstByteTimeoutSeconds,
    };
}
