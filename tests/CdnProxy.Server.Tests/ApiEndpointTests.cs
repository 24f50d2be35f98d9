using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CdnProxy.Server.Tests.Caching;

namespace CdnProxy.Server.Tests;

/// <summary>The management API without Redis: keys, bodies, counts.</summary>
public sealed class ApiEndpointTests : IDisposable
{
    private readonly string _origin = Replica.CreateOriginFolder();
    private readonly Replica _replica;

    public ApiEndpointTests()
    {
        _replica = new Replica(redisConfiguration: null, _origin);
    }

    public void Dispose()
    {
        _replica.Dispose();
        Directory.Delete(_origin, recursive: true);
    }

    [Fact]
    public async Task WithoutConfiguredKeys_TheApiDoesNotExist()
    {
        using var factory = new CdnProxyFactory();
        using var client = factory.CreateClient();
        using var purge = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/purge") { Content = JsonContent.Create(new { cloud = "demo", filePath = "a.jpg" }) };
        purge.Headers.Add("x-api-key", string.Empty);

        using var purged = await client.SendAsync(purge);
        using var stats = await client.GetAsync(new Uri("/api/v1/stats", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, purged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, stats.StatusCode);
    }

    [Fact]
    public async Task XApiKeyHeader_IsAccepted_AndThePurgeCountsWhatItRemoved()
    {
        await Get("/v2/shared/t.resize(w:20)/small.jpg");
        await Get("/v2/shared/t.resize(w:21)/small.jpg");

        using var purge = await _replica.PurgeAsync(new { cloud = "shared", filePath = "small.jpg" }, bearer: null, apiKeyHeader: Replica.ApiKey);

        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        var body = await purge.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("shared/small.jpg", body.GetProperty("originalId").GetString());
        Assert.Equal(2, body.GetProperty("memory").GetInt64());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("redis").ValueKind);
        Assert.True(body.GetProperty("complete").GetBoolean());
        Assert.Equal(0, (await _replica.StatsAsync()).GetProperty("memoryEntries").GetInt32());
    }

    [Fact]
    public async Task WrongKey_Is401WithAChallenge()
    {
        using var purge = await _replica.PurgeAsync(new { cloud = "shared", filePath = "small.jpg" }, bearer: null, apiKeyHeader: "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, purge.StatusCode);
        Assert.Equal("Bearer", purge.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("no-store", purge.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("{", HttpStatusCode.BadRequest)]
    [InlineData("[1,2]", HttpStatusCode.BadRequest)]
    [InlineData("{\"cloud\":\"shared\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"filePath\":\"small.jpg\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"cloud\":\"nope\",\"filePath\":\"small.jpg\"}", HttpStatusCode.NotFound)]
    [InlineData("{\"cloud\":\"shared\",\"zone\":\"zzzzzz\",\"filePath\":\"small.jpg\"}", HttpStatusCode.NotFound)]
    [InlineData("{\"cloud\":\"shared\",\"filePath\":\"../../etc/passwd\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"cloud\":\"shared\",\"filePath\":\"a//b.jpg\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"cloud\":\"shared\",\"filePath\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jpg\"}", HttpStatusCode.BadRequest)]
    public async Task BadBody_IsRejected(string json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/purge")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", Replica.ApiKey);

        using var response = await _replica.Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Stats_CountsRendersFetchesAndHitsExactly()
    {
        await Get("/v2/shared/t.resize(w:20)/small.jpg");
        await Get("/v2/shared/t.resize(w:21)/small.jpg");
        await Get("/v2/shared/t.resize(w:20)/small.jpg");

        var stats = await _replica.StatsAsync();

        var counters = stats.GetProperty("counters");
        Assert.Equal(2, counters.GetProperty("renders").GetInt64());
        Assert.Equal(2, counters.GetProperty("originFetches").GetInt64());
        Assert.Equal(1, counters.GetProperty("memoryHits").GetInt64());
        Assert.Equal(0, counters.GetProperty("redisHits").GetInt64());
        Assert.Equal("off", stats.GetProperty("cache").GetString());
        Assert.Equal("off", stats.GetProperty("breakerState").GetString());
    }

    private async Task Get(string path)
    {
        using var response = await _replica.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
