using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>
/// The real AWS SDK against a loopback server answering as S3 does when it throttles (<c>503 SlowDown</c>, an S3-style
/// XML error body, no <c>Retry-After</c>): the origin is paused like an <c>http</c> origin that sent one. Counts calls.
/// </summary>
public sealed class S3ThrottlingEndToEndTests
{
    private const string SlowDown = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>R1</RequestId><HostId>H1</HostId></Error>
        """;

    [Fact]
    public async Task ARenderMeetingSlowDown_Answers503WithTheDefaultWait_AndTheOriginIsNotAskedAgainMeanwhile()
    {
        await using var s3 = await LoopbackHttpOrigin.StartAsync(context => Answer(context, StatusCodes.Status503ServiceUnavailable, SlowDown));
        using var factory = Factory(s3);
        using var client = factory.CreateClient();

        var clock = Stopwatch.StartNew();
        using var first = await client.GetAsync("/v2/web/t.resize(w:64)/photo.jpg");
        var elapsed = clock.Elapsed;
        var firstBody = await first.Content.ReadAsStringAsync();
        var callsByFirst = s3.Requests;
        using var render = await client.GetAsync("/v2/web/t.resize(w:65)/other.jpg");
        using var storedFile = await client.GetAsync("/v2/web/original/manual.pdf");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), first.Headers.RetryAfter!.Delta);
        Assert.True(first.Headers.CacheControl!.NoStore);
        Assert.Contains("\"origin_throttled\"", firstBody, StringComparison.Ordinal);
        Assert.DoesNotContain("reduce", firstBody, StringComparison.OrdinalIgnoreCase);
        Assert.InRange(callsByFirst, 1, 2); // the SDK's one retry, after its own short back-off
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"the throttled fetch took {elapsed}, past its budget");
        Assert.All([render, storedFile], held => Assert.Equal(HttpStatusCode.ServiceUnavailable, held.StatusCode));
        Assert.Equal(callsByFirst, s3.Requests);
    }

    [Fact]
    public async Task AnS3CompatibleServersRetryAfter_IsTheWait()
    {
        await using var s3 = await LoopbackHttpOrigin.StartAsync(context =>
        {
            context.Response.Headers.RetryAfter = "20";
            return Answer(context, StatusCodes.Status429TooManyRequests, SlowDown);
        });
        using var factory = Factory(s3);
        using var client = factory.CreateClient();

        using var first = await client.GetAsync("/v2/web/t.resize(w:64)/photo.jpg");
        var calls = s3.Requests;
        using var held = await client.GetAsync("/v2/web/t.resize(w:65)/photo.jpg");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(20), first.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, held.StatusCode);
        Assert.InRange(held.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 20);
        Assert.Equal(calls, s3.Requests);
    }

    [Fact]
    public async Task AStoredFilesHeadMeetingSlowDown_PausesTheOrigin_ForRendersToo()
    {
        // A HEAD's error has no body: only the status says "slow down".
        await using var s3 = await LoopbackHttpOrigin.StartAsync(context => Answer(context, StatusCodes.Status503ServiceUnavailable, SlowDown));
        using var factory = Factory(s3);
        using var client = factory.CreateClient();

        using var first = await client.GetAsync("/v2/web/original/manual.pdf");
        var firstBody = await first.Content.ReadAsStringAsync();
        var calls = s3.Requests;
        using var render = await client.GetAsync("/v2/web/t.resize(w:64)/photo.jpg");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Contains("\"origin_throttled\"", firstBody, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), first.Headers.RetryAfter!.Delta);
        Assert.All(s3.Targets, target => Assert.Contains("manual.pdf", target, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, render.StatusCode);
        Assert.Equal(calls, s3.Requests);
    }

    [Fact]
    public async Task NoSuchKey_IsStillNotFound_AndPausesNothing()
    {
        const string NoSuchKey = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>";
        await using var s3 = await LoopbackHttpOrigin.StartAsync(context => Answer(context, StatusCodes.Status404NotFound, NoSuchKey));
        using var factory = Factory(s3);
        using var client = factory.CreateClient();

        using var first = await client.GetAsync("/v2/web/t.resize(w:64)/photo.jpg");
        using var other = await client.GetAsync("/v2/web/t.resize(w:64)/other.jpg");

        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(2, s3.Requests);
    }

    private static Task Answer(HttpContext context, int status, string xml)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(xml);
    }

    private static CdnProxyFactory Factory(LoopbackHttpOrigin s3) => new(new Dictionary<string, string?>
    {
        ["CdnProxy:Clouds:web:Origin:Type"] = "s3",
        ["CdnProxy:Clouds:web:Origin:Bucket"] = "originals",
        ["CdnProxy:Clouds:web:Origin:ServiceUrl"] = s3.BaseUrl.ToString().TrimEnd('/'),
        ["CdnProxy:Clouds:web:Origin:AccessKey"] = "test-access-key",
        ["CdnProxy:Clouds:web:Origin:SecretKey"] = "test-secret-key",
        ["CdnProxy:Clouds:web:Origin:TimeoutSeconds"] = "5",
    });
}
