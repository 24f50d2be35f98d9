using System.Net;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Tests.Common;
using Microsoft.AspNetCore.Http;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>
/// An upload into a writable S3 origin meeting S3's "slow down" (503 <c>SlowDown</c>, as AWS sends while it scales a
/// prefix): the client is told to retry later (503 <c>origin_throttled</c> with <c>Retry-After</c>), as a render meeting
/// it is, not that the store failed (502). The real SDK talks to s3rver through a loopback relay that throttles.
/// </summary>
public sealed class S3UploadThrottlingTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    private const string SlowDown = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>R1</RequestId><HostId>H1</HostId></Error>
        """;

    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    [Fact]
    public async Task SlowDownWhileStoringTheFile_Is503WithRetryAfter()
    {
        await using var relay = await ThrottlingRelayAsync(_ => true);
        using var client = new UploadTestClient(Settings(relay));

        var (response, json) = await client.UploadAsync(UploadTestClient.Form(Flower, fields: [("cloud", "bucket"), ("name", "f")]));

        AssertThrottled(response, json);
    }

    [Fact]
    public async Task SlowDownWhileReadingTheStoredHeaderBack_Is503WithRetryAfter()
    {
        // The staged object is written, then its header read back with ranged GETs: those are throttled.
        await using var relay = await ThrottlingRelayAsync(request => HttpMethods.IsGet(request.Method) && request.Headers.Range.Count > 0);
        using var client = new UploadTestClient(Settings(relay));

        var (response, json) = await client.UploadAsync(UploadTestClient.Form(Flower, fields: [("cloud", "bucket"), ("name", "f")]));

        AssertThrottled(response, json);
        // The PUT that stages it, one ranged read and the client's two retries of it, the DELETE: once a read failed the
        // store is not asked again (libvips reading on made 21 reads of it).
        Assert.Equal(5, relay.Targets.Count(target => target.Contains(".cdnproxy-staging/", StringComparison.Ordinal)));
    }

    private static void AssertThrottled(HttpResponseMessage response, System.Text.Json.Nodes.JsonObject? json)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("origin_throttled", (string?)json!["error"]!["code"]);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    private Dictionary<string, string?> Settings(LoopbackHttpOrigin relay)
    {
        var settings = s3.Settings("CdnProxy:Clouds:bucket:Origin", "up-" + Guid.NewGuid().ToString("N")[..8]);
        settings["CdnProxy:Clouds:bucket:Origin:ServiceUrl"] = relay.BaseUrl.ToString().TrimEnd('/');
        settings["CdnProxy:Clouds:bucket:Origin:Writable"] = "true";
        settings["CdnProxy:Clouds:bucket:Origin:TimeoutSeconds"] = "10";
        return settings;
    }

    /// <summary>Relays every request to s3rver, except those <paramref name="throttled"/> picks, answered <c>503 SlowDown</c>.</summary>
    private async Task<LoopbackHttpOrigin> ThrottlingRelayAsync(Func<HttpRequest, bool> throttled)
    {
        var upstream = new HttpClient { BaseAddress = new Uri(s3.ServiceUrl) };
        return await LoopbackHttpOrigin.StartAsync(async context =>
        {
            var request = context.Request;
            if (throttled(request))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.ContentType = "application/xml";
                if (!HttpMethods.IsHead(request.Method))
                {
                    await context.Response.WriteAsync(SlowDown);
                }

                return;
            }

            using var forwarded = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            forwarded.Content = new ByteArrayContent(body.ToArray());
            foreach (var (name, values) in request.Headers)
            {
                if (!forwarded.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                {
                    forwarded.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }

            using var answer = await upstream.SendAsync(forwarded);
            context.Response.StatusCode = (int)answer.StatusCode;
            foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
            {
                if (name is not ("Transfer-Encoding" or "Connection"))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await answer.Content.CopyToAsync(context.Response.Body);
        });
    }
}
