using System.Net;
using System.Text.Json;

namespace CdnProxy.Server.Tests.Http;

public sealed class UnroutedRequestTests : IClassFixture<CdnProxyFactory>
{
    private readonly HttpClient _client;

    public UnroutedRequestTests(CdnProxyFactory factory)
    {
        _client = factory.CreateClient();
    }

    [Theory]
    [InlineData("/nothing-here")]
    [InlineData("/v3/demo/original/photo-3mp-flower.jpg")]
    [InlineData("/api/v9/nothing")]
    public async Task NoEndpointForThePath_IsAJson404_NotStored(string path)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal("not_found", await ReadErrorAsync(response, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task WrongMethodOnAnImageUrl_IsAJson405_WithItsAllowHeader()
    {
        using var response = await _client.PostAsync("/v2/demo/original/photo-3mp-flower.jpg", new StringContent("x"));

        Assert.Equal("method_not_allowed", await ReadErrorAsync(response, HttpStatusCode.MethodNotAllowed));
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Head_OnNoEndpoint_HasTheHeadersButNoBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/nothing-here");
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AnEndpointsOwnNotFound_KeepsItsOwnError()
    {
        using var response = await _client.GetAsync("/v2/nosuchcloud/original/photo-3mp-flower.jpg");

        Assert.Equal("unknown_cloud", await ReadErrorAsync(response, HttpStatusCode.NotFound));
    }

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("error").GetProperty("code").GetString();
    }
}
