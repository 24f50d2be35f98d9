using System.Net;
using CdnProxy.Server.Tests.Origins;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CdnProxy.Server.Tests.Streaming;

/// <summary>
/// What an HTTP origin's answer may put in ours when a file is sent as stored: one well-formed media type (so the
/// active-content sandbox judges what the browser will see), no 206 or 304 the client did not ask for, and the
/// encoding the bytes are really in.
/// </summary>
public sealed class HttpOriginAnswerTests
{
    private const string Html = "<html><script>alert(document.domain)</script></html>";

    [Theory]
    [InlineData("image/png", "text/html")]
    [InlineData("image/png, text/html")]
    [InlineData("not a type")]
    public async Task AnythingButOneWellFormedContentType_IsSentAsOctetStream(params string[] types)
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            context.Response.Headers.ContentType = new StringValues(types);
            await context.Response.WriteAsync(Html);
        });
        using var factory = Factory(origin);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/v2/web/original/page.bin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", Assert.Single(response.Content.Headers.GetValues("Content-Type")));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task OneContentType_IsPassedOn()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            context.Response.ContentType = "image/png";
            await context.Response.WriteAsync("png");
        });
        using var factory = Factory(origin);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/v2/web/original/image.bin");

        Assert.Equal("image/png", Assert.Single(response.Content.Headers.GetValues("Content-Type")));
    }

    [Fact]
    public async Task HtmlWithoutAContentType_IsJudgedByItsExtension_AndSandboxed()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(context => context.Response.WriteAsync(Html));
        using var factory = Factory(origin);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/v2/web/original/page.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
    }

    [Theory]
    [InlineData(StatusCodes.Status304NotModified)]
    [InlineData(StatusCodes.Status206PartialContent)]
    [InlineData(StatusCodes.Status416RangeNotSatisfiable)]
    [InlineData(StatusCodes.Status412PreconditionFailed)]
    public async Task APartialOrNotModifiedAnswerTheClientDidNotAskFor_IsABadGateway(int status)
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status206PartialContent)
            {
                context.Response.Headers.ContentRange = "bytes 0-2/10";
                await context.Response.WriteAsync("abc");
            }
        });
        using var factory = Factory(origin);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/v2/web/original/file.bin");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Contains("origin_failed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("If-Match", "\"other\"")]
    [InlineData("If-Unmodified-Since", "Mon, 01 Jan 2024 00:00:00 GMT")]
    public async Task TheOriginFailingTheClientsPrecondition_IsA412WithoutTheOriginsBody(string header, string value)
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            // As S3 does: a precondition that fails is a 412 with an error document.
            context.Response.StatusCode = context.Request.Headers.ContainsKey(header) ? StatusCodes.Status412PreconditionFailed : StatusCodes.Status200OK;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync(Html);
        });
        using var factory = Factory(origin);
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/web/original/file.bin");
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.DoesNotContain(factory.Logs.Lines, line => line.StartsWith("7102 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEncodedBody_KeepsItsContentEncoding()
    {
        var gzipped = Gzip("hello"u8.ToArray());
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.Headers.ContentEncoding = "gzip";
            await context.Response.Body.WriteAsync(gzipped);
        });
        using var factory = Factory(origin);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/v2/web/original/note.txt");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal(gzipped, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/v2/web/original/file.bin")]
    [InlineData("/v2/web/t.resize(w:10)/image.jpg")]
    public async Task AnOriginFailure_IsLoggedWithItsCauseOnce(string path)
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        });
        using var factory = Factory(origin);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var withCause = factory.Logs.Lines.Where(line => line.Contains("HttpRequestException", StringComparison.Ordinal)).ToList();
        Assert.Single(withCause);
        Assert.StartsWith("7102 ", withCause[0], StringComparison.Ordinal);
        Assert.Contains(factory.Logs.Lines, line => line.StartsWith("1001 Request failed: OriginFailed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("StoredFileRateGraceSeconds", "below the minimum of 8192 B/s")]
    [InlineData("StoredFileTimeoutSeconds", "0.5 s spent waiting on it in all")]
    public async Task AnOriginTricklingBelowItsPace_IsCutOff_AndTheResponseAborted(string setting, string reason)
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            // A byte every 50 ms (20 B/s): never idle for the activity timeout, and 1,000 bytes would take 50 s.
            context.Response.ContentLength = 1000;
            for (var sent = 0; sent < 1000 && !context.RequestAborted.IsCancellationRequested; sent++)
            {
                await context.Response.Body.WriteAsync("x"u8.ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(50, context.RequestAborted);
            }
        });
        using var factory = Factory(origin, ("CdnProxy:Clouds:web:Origin:" + setting, "0.5"));
        using var client = factory.CreateClient();
        var started = TimeProvider.System.GetTimestamp();

        using var response = await client.GetAsync("/v2/web/original/video.bin", HttpCompletionOption.ResponseHeadersRead);
        var read = await Record.ExceptionAsync(() => response.Content.ReadAsByteArrayAsync());

        // Headers had gone out: the client must see the body fail, never 1,000 bytes that look whole.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(read is HttpRequestException or IOException, $"the body read ended with {read?.GetType().Name ?? "no error"}");
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        Assert.True(elapsed >= TimeSpan.FromSeconds(0.5) && elapsed < TimeSpan.FromSeconds(10), $"cut after {elapsed.TotalSeconds} s");
        Assert.Contains(reason, await CutLineAsync(factory), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOriginStallingMidBody_IsCutAtItsTimeout_AndTheResponseAborted()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            context.Response.ContentLength = 1000;
            await context.Response.Body.WriteAsync(new byte[100], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
        });
        using var factory = Factory(origin, ("CdnProxy:Clouds:web:Origin:TimeoutSeconds", "0.5"));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/v2/web/original/video.bin", HttpCompletionOption.ResponseHeadersRead);
        var read = await Record.ExceptionAsync(() => response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(read is HttpRequestException or IOException, $"the body read ended with {read?.GetType().Name ?? "no error"}");
        Assert.Contains("no bytes for 0.5 s", await CutLineAsync(factory), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("StoredFileRateGraceSeconds")]
    [InlineData("StoredFileTimeoutSeconds")]
    public async Task AnOriginSilentPastItsPace_Is504BeforeAnyHeader(string setting)
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2), context.RequestAborted);
            await context.Response.WriteAsync("late");
        });
        using var factory = Factory(origin, ("CdnProxy:Clouds:web:Origin:" + setting, "0.3"));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/v2/web/original/video.bin");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Contains("origin_timeout", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(factory.Logs.Lines, line => line.StartsWith("7102 ", StringComparison.Ordinal));
    }

    /// <summary>The one relay-cut line (7110) the server logged.</summary>
    private static async Task<string> CutLineAsync(CdnProxyFactory factory)
    {
        // The server logs once its forward has returned, which may be just after the client saw the abort.
        for (var waited = 0; waited < 40 && !factory.Logs.Lines.Any(IsCut); waited++)
        {
            await Task.Delay(50);
        }

        return Assert.Single(factory.Logs.Lines, IsCut);

        static bool IsCut(string line) => line.StartsWith("7110 ", StringComparison.Ordinal);
    }

    private static CdnProxyFactory Factory(LoopbackHttpOrigin origin, params (string Key, string Value)[] settings) => origin.WebCloud(settings);

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }
}
