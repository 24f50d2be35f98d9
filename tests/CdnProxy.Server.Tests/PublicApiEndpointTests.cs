using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CdnProxy.Core.Transformations;

namespace CdnProxy.Server.Tests;

/// <summary>The public API: the catalogue and the listing of listable clouds, without any key.</summary>
public sealed class PublicApiEndpointTests : IDisposable
{
    private readonly CdnProxyFactory _factory = new(new Dictionary<string, string?>
    {
        ["CdnProxy:Clouds:demo:Listable"] = "true",
        // Set listable, but an HTTP origin cannot be listed: left out (with a warning), not a start-up failure.
        ["CdnProxy:Clouds:remote:Listable"] = "true",
        ["CdnProxy:Clouds:remote:Origin:Type"] = "http",
        ["CdnProxy:Clouds:remote:Origin:BaseUrl"] = "https://images.example.com/",
    });
    private readonly HttpClient _client;

    public PublicApiEndpointTests()
    {
        _client = _factory.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task Catalog_IsPublic_AndHoldsEveryOperationAndArgumentTheBindersRead()
    {
        using var response = await Get("/api/v1/catalog");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var catalog = await response.Content.ReadFromJsonAsync<JsonElement>();
        var operations = catalog.GetProperty("operations").EnumerateArray().ToList();
        Assert.Equal(TransformationCatalog.Default.Names, operations.Select(o => o.GetProperty("name").GetString()));
        foreach (var (described, served) in TransformationCatalog.Default.Describe().Zip(operations))
        {
            Assert.Equal(described.Arguments.Select(a => a.Key), served.GetProperty("arguments").EnumerateArray().Select(a => a.GetProperty("key").GetString()));
            Assert.Equal(described.Canonical, served.GetProperty("canonical").GetString());
        }

        var width = operations.Single(o => o.GetProperty("name").GetString() == "t.resize").GetProperty("arguments")[1];
        Assert.Equal("""{"key":"w","type":"integer","default":"0","min":0,"max":100000}""", width.GetRawText());
        Assert.Equal(15, catalog.GetProperty("limits").GetProperty("maxCalls").GetInt32());
    }

    [Fact]
    public async Task Catalog_IsCacheable_AndRevalidatesTo304()
    {
        using var first = await Get("/api/v1/catalog");
        var etag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/v1/catalog");
        again.Headers.IfNoneMatch.Add(etag);
        using var revalidated = await _client.SendAsync(again);
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/catalog"));

        Assert.Contains("public", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.True(first.Headers.CacheControl.MaxAge > TimeSpan.Zero);
        Assert.False(etag.IsWeak);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(first.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Clouds_NameOnlyTheListableOnes()
    {
        var clouds = await _client.GetFromJsonAsync<JsonElement>("/api/v1/clouds");

        Assert.Equal("""{"clouds":["demo"]}""", clouds.GetRawText());
    }

    [Fact]
    public async Task Files_OfAListableCloud_AreItsImages_AndEachOneIsServed()
    {
        var listing = await _client.GetFromJsonAsync<JsonElement>("/api/v1/clouds/demo/files");
        var paths = listing.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToList();

        Assert.Contains("photo-3mp-flower.jpg", paths);
        Assert.DoesNotContain("LICENSES.md", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("licenses/", StringComparison.Ordinal));
        Assert.False(listing.GetProperty("truncated").GetBoolean());
        foreach (var path in paths)
        {
            using var image = await Get($"/v2/demo/t.resize(w:16)/{path}");
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        }
    }

    [Theory]
    [InlineData("/api/v1/clouds/golden/files")] // configured, not listable
    [InlineData("/api/v1/clouds/secure/files")] // signed URLs only
    [InlineData("/api/v1/clouds/remote/files")] // set listable, but not a local origin
    [InlineData("/api/v1/clouds/nope/files")]
    [InlineData("/api/v1/clouds/..%2F..%2Fetc/files")]
    [InlineData("/api/v1/clouds/demo%2F..%2Fgolden/files")]
    public async Task Files_OfAnyOtherCloud_Are404_WithoutSayingWhetherItExists(string path)
    {
        using var response = await Get(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            Assert.Equal("unknown_cloud", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        }
    }

    private Task<HttpResponseMessage> Get(string path) => _client.GetAsync(new Uri(path, UriKind.Relative));
}
