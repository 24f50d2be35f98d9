using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Server.Tests.Origins;
using Microsoft.AspNetCore.Http;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>A job whose <c>cloud://</c> input lives at an origin that asked us to wait: held like a URL's render, then done.</summary>
public sealed class JobOriginCooldownTests
{
    [Theory]
    [InlineData("resize", "{\"width\":50}")] // rendered through the pipeline
    [InlineData("analyze", "{\"exif\":true}")] // described through the info service
    public async Task AJobsInputAtAPausedOrigin_IsNotFetchedDuringThePause_AndTheJobCompletesAfterIt(string method, string options)
    {
        var throttling = 1;
        var calls = new List<DateTimeOffset>();
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            lock (calls)
            {
                calls.Add(DateTimeOffset.UtcNow);
            }

            if (Volatile.Read(ref throttling) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "2";
                return;
            }

            await context.Response.Body.WriteAsync(S3rverFixture.Flower);
        });
        await using var server = await JobFaceServer.StartAsync(JobFaceServer.Settings(
            ("CdnProxy:Clouds:web:Origin:Type", "http"),
            ("CdnProxy:Clouds:web:Origin:BaseUrl", origin.BaseUrl.ToString()),
            ("CdnProxy:Clouds:web:Origin:AllowPrivateNetworks", "true")));
        using (var paused = await server.Client.GetImageAsync("/v2/web/t.resize(w:64)/photo.jpg"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, paused.StatusCode);
        }

        Volatile.Write(ref throttling, 0);
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["a"] = "cloud://web/other.jpg" },
            ["output"] = new JsonArray(new JsonObject { ["methods"] = new JsonArray(new JsonObject { ["method"] = method, ["options"] = JsonNode.Parse(options) }) }),
        };
        var (created, json) = await server.Client.ApiAsync(HttpMethod.Post, "/api/v1/jobs", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var job = await server.WaitForJobAsync((string)json!["id"]!);

        Assert.Equal("complete", (string?)job["status"]);
        lock (calls)
        {
            Assert.Equal(2, calls.Count);
            Assert.True(calls[1] - calls[0] >= TimeSpan.FromSeconds(1.9), $"the origin was asked again after {calls[1] - calls[0]}, inside its 2-s pause");
        }
    }
}
