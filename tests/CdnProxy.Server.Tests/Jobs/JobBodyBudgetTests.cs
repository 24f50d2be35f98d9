using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Server.Http;
using CdnProxy.Server.Tests.Uploads;
using CdnProxy.Server.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// The job faces under <see cref="RequestBodyBudget"/> on the in-process server, with large bodies of a key held in
/// its budget as the bodies in flight would hold them; every request's own share is released when it ends. MaxInputBytes of 1,000,000 makes the largest
/// job body 1.7 MB; the budget is 4 MB, large is over 1 MiB, two large bodies per key.
/// </summary>
public sealed class JobBodyBudgetTests : IDisposable
{
    private const string OtherKey = "job-body-budget-other-key-0123456789abcdef";
    private const int LargeBody = 1_500_000;

    private readonly UploadTestClient _client = new(new Dictionary<string, string?>
    {
        ["CdnProxy:Api:Keys:1"] = OtherKey,
        ["CdnProxy:Jobs:MaxInputBytes"] = "1000000",
        ["CdnProxy:Jobs:MaxBufferedBodyBytes"] = "4000000",
        ["CdnProxy:Jobs:RequestsPerMinute"] = "0",
    });

    private RequestBodyBudget Budget => _client.Factory.Services.GetRequiredService<RequestBodyBudget>();

    [Fact]
    public async Task SixPx_AThirdLargeBodyOfOneKeyIs429_AnotherKeysPastTheBudgetIs503_BothWithRetryAfter_AndAllPassOnceReleased()
    {
        var held = new[] { Hold(UploadTestClient.ApiKey), Hold(UploadTestClient.ApiKey) };

        using (var third = await SendAsync("/api/v1/jobs", UploadTestClient.ApiKey, Filler(LargeBody), declareLength: true))
        {
            await AssertRefusedAsync(third, HttpStatusCode.TooManyRequests, "rate_limited");
        }

        // 3 MB held; another key's 1.5 MB does not fit 4 MB: refused before its body is read when declared, while read when not.
        foreach (var declared in new[] { true, false })
        {
            using var other = await SendAsync("/api/v1/jobs", OtherKey, Filler(LargeBody), declared);
            await AssertRefusedAsync(other, HttpStatusCode.ServiceUnavailable, "overloaded");
        }

        // A small body still fits.
        using (var small = await SendAsync("/api/v1/jobs", OtherKey, "{}"u8.ToArray(), declareLength: true))
        {
            Assert.Equal(HttpStatusCode.BadRequest, small.StatusCode);
        }

        // The refused and answered requests let go of what they held.
        Assert.Equal(2 * LargeBody, Budget.Held);
        Array.ForEach(held, h => h.Dispose());
        using var after = await SendAsync("/api/v1/jobs", UploadTestClient.ApiKey, Filler(LargeBody), declareLength: true);
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode); // past the limits: the filler is no job
        Assert.Equal(0, Budget.Held);
    }

    [Fact]
    public async Task Predictions_AThirdLargeBodyOfOneKeyIs429()
    {
        var held = new[] { Hold(UploadTestClient.ApiKey), Hold(UploadTestClient.ApiKey) };
        using (var third = await SendAsync("/api/v1/predictions", UploadTestClient.ApiKey, Filler(LargeBody), declareLength: true))
        {
            await AssertRefusedAsync(third, HttpStatusCode.TooManyRequests, "rate_limited");
        }

        Array.ForEach(held, h => h.Dispose());
    }

    [Fact]
    public async Task Pixble_KeyInHeader_AThirdLargeBodyIs429_KeyInBody_PastTheBudgetWhileReadIs503NotAMissingKey()
    {
        var held = new[] { Hold(UploadTestClient.ApiKey), Hold(UploadTestClient.ApiKey) };
        using (var third = await SendAsync("/job/new", UploadTestClient.ApiKey, Filler(LargeBody), declareLength: true))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(RequestBodyBudget.RetryAfterSeconds), third.Headers.RetryAfter?.Delta);
            Assert.Equal("rate_limited", (string?)JsonNode.Parse(await third.Content.ReadAsStringAsync())!["error_code"]);
        }

        // The key comes with the body, which is refused as it is read (no length declared): the caller is told to retry.
        var body = Encoding.UTF8.GetBytes($"{{\"key\":\"{OtherKey}\",\"task\":9,\"data\":\"{new string('A', LargeBody)}\"}}");
        using (var keyInBody = await SendAsync("/job/new", key: null, body, declareLength: false))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, keyInBody.StatusCode);
            Assert.NotNull(keyInBody.Headers.RetryAfter);
            Assert.Equal("overloaded", (string?)JsonNode.Parse(await keyInBody.Content.ReadAsStringAsync())!["error_code"]);
        }

        Array.ForEach(held, h => h.Dispose());
        Assert.Equal(0, Budget.Held);
    }

    public void Dispose() => _client.Dispose();

    private static byte[] Filler(int length) => Enumerable.Repeat((byte)'x', length).ToArray();

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(RequestBodyBudget.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Equal(code, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
    }

    private Task<HttpResponseMessage> SendAsync(string path, string? key, byte[] body, bool declareLength)
    {
        HttpContent content = declareLength ? new ByteArrayContent(body) : new StreamContent(new UnknownLengthStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        return _client.Http.SendAsync(request);
    }

    /// <summary>
    /// A large body of <paramref name="key"/> in flight, as the server holds one (the in-process server reads a body
    /// only once it was sent whole, so one cannot be left half-sent).
    /// </summary>
    private RequestBodyBudget.Lease Hold(string key) => Budget.Enter(UploadRateLimiter.Partition(key, new DefaultHttpContext()), LargeBody);

    /// <summary>A body that does not tell its length: sent without Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
