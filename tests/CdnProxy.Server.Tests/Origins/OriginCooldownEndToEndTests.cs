using System.Net;
using System.Net.Http.Json;
using CdnProxy.Core.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>Bursts of requests against a real loopback HTTP origin that fails or asks us to wait, counting its calls.</summary>
public sealed class OriginCooldownEndToEndTests
{
    private const int Burst = 20;

    [Theory]
    [InlineData("5", 1)]
    [InlineData("0", Burst)]
    public async Task ABurstForAnOriginalWhoseOriginFails_CostsOneOriginCall_AndEachAnswersTheSame502(string failedFetchTtlSeconds, int expectedCalls)
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return context.Response.WriteAsync("stack trace of the origin");
        });
        using var factory = Factory(origin, ("CdnProxy:Cache:FailedFetchTtlSeconds", failedFetchTtlSeconds));
        using var client = factory.CreateClient();

        for (var width = 1; width <= Burst; width++)
        {
            using var response = await client.GetAsync($"/v2/web/t.resize(w:{width})/photo.jpg");
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.True(response.Headers.CacheControl!.NoStore);
            Assert.Contains("\"origin_failed\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain("stack trace", body, StringComparison.Ordinal);
        }

        Assert.Equal(expectedCalls, origin.Requests);
    }

    [Fact]
    public async Task AnOriginThatTimesOut_IsWaitedForOnce_TheRestOfTheBurstAnswers504AtOnce()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(context => Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        using var factory = Factory(origin, ("CdnProxy:Clouds:web:Origin:TimeoutSeconds", "1"));
        using var client = factory.CreateClient();
        using (var first = await client.GetAsync("/v2/web/t.resize(w:1)/photo.jpg"))
        {
            Assert.Equal(HttpStatusCode.GatewayTimeout, first.StatusCode);
        }

        var burst = await Task.WhenAll(Enumerable.Range(2, Burst - 1).Select(width => client.GetAsync($"/v2/web/t.resize(w:{width})/photo.jpg")));

        Assert.All(burst, response => Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode));
        // Each was answered from the failed fetch's memory without waiting for the origin: counted, not timed (a stopwatch
        // bound at the origin's own 1 s timeout can fail on a busy machine though nothing waited).
        Assert.Equal(Burst - 1, factory.Services.GetRequiredService<CdnProxyCounters>().Snapshot().OriginHeld);
        Assert.Equal(1, origin.Requests);
        foreach (var response in burst)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task AnOriginAnswering429WithRetryAfter_IsNotCalledAgainUntilThen_CachedRenditionsStillServed()
    {
        var throttling = 0;
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            if (Volatile.Read(ref throttling) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "30";
                await context.Response.WriteAsync("slow down, internal quota 7/s");
                return;
            }

            await context.Response.Body.WriteAsync(S3rverFixture.Flower);
        });
        using var factory = Factory(origin);
        using var client = factory.CreateClient();
        using (var cached = await client.GetAsync("/v2/web/t.resize(w:64)/photo.jpg"))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        }

        Volatile.Write(ref throttling, 1);
        using var first = await client.GetAsync("/v2/web/t.resize(w:65)/photo.jpg");
        var firstBody = await first.Content.ReadAsStringAsync();
        for (var i = 0; i < Burst; i++)
        {
            using var held = await client.GetAsync($"/v2/web/t.resize(w:{100 + i})/other-{i}.jpg");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, held.StatusCode);
            Assert.True(held.Headers.CacheControl!.NoStore);
            Assert.InRange(held.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
        }

        using var stillCached = await client.GetAsync("/v2/web/t.resize(w:64)/photo.jpg");
        using var storedFile = await client.GetAsync("/v2/web/original/manual.pdf");

        AssertThrottledFor(first, firstBody, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, stillCached.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, storedFile.StatusCode);
        Assert.Equal(2, origin.Requests);
    }

    [Fact]
    public async Task AStoredFileMeeting429WithRetryAfter_Answers503AndPausesTheOrigin_ForStoredFilesAndRendersAlike()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "20";
            await context.Response.WriteAsync("slow down, internal quota 7/s");
        });
        using var factory = Factory(origin);
        using var client = factory.CreateClient();

        using var first = await client.GetAsync("/v2/web/original/manual.pdf");
        var firstBody = await first.Content.ReadAsStringAsync();
        using var otherStoredFile = await client.GetAsync("/v2/web/original/other.pdf");
        using var render = await client.GetAsync("/v2/web/t.resize(w:64)/photo.jpg");

        AssertThrottledFor(first, firstBody, TimeSpan.FromSeconds(20));
        Assert.All([otherStoredFile, render], held => Assert.Equal(HttpStatusCode.ServiceUnavailable, held.StatusCode));
        Assert.InRange(render.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 20);
        Assert.Equal(1, origin.Requests);
    }

    [Fact]
    public async Task AStoredFileWhoseOriginFails_IsRemembered_SoABurstCostsOneOriginCall()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        });
        using var factory = Factory(origin);
        using var client = factory.CreateClient();

        for (var i = 0; i < Burst; i++)
        {
            using var failed = await client.GetAsync("/v2/web/original/manual.pdf");
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }

        Assert.Equal(1, origin.Requests);
    }

    [Fact]
    public async Task APurge_ForgetsAFailedFetch_SoTheFileIsAskedForAgainAtOnce()
    {
        const string ApiKey = "purge-test-key-0123456789abcdef0123";
        var failing = 1;
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            if (Volatile.Read(ref failing) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            }

            await context.Response.Body.WriteAsync(S3rverFixture.Flower);
        });
        using var factory = Factory(origin, ("CdnProxy:Api:Keys:0", ApiKey));
        using var client = factory.CreateClient();
        using (var failed = await client.GetAsync("/v2/web/t.resize(w:64)/photo.jpg"))
        {
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }

        Volatile.Write(ref failing, 0);
        using (var remembered = await client.GetAsync("/v2/web/t.resize(w:65)/photo.jpg"))
        {
            Assert.Equal(HttpStatusCode.BadGateway, remembered.StatusCode);
        }

        using var purge = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/purge") { Content = JsonContent.Create(new { cloud = "web", filePath = "photo.jpg" }) };
        purge.Headers.Add("x-api-key", ApiKey);
        using (var purged = await client.SendAsync(purge))
        {
            Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        }

        using var served = await client.GetAsync("/v2/web/t.resize(w:66)/photo.jpg");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(2, origin.Requests);
    }

    /// <summary>The origin's own 429: our 503 with its wait, no-store, and none of the origin's text.</summary>
    private static void AssertThrottledFor(HttpResponseMessage response, string body, TimeSpan wait)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(wait, response.Headers.RetryAfter!.Delta);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Contains("\"origin_throttled\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("quota", body, StringComparison.Ordinal);
    }

    private static CdnProxyFactory Factory(LoopbackHttpOrigin origin, params (string Key, string Value)[] settings) => origin.WebCloud(settings);
}
