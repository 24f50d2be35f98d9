using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>PixLab's <c>POST /store</c>: its answer shape, its key in the body or in <c>WWW-Authenticate</c>, 405 and 415.</summary>
public sealed class PixLabStoreTests : IDisposable
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private readonly UploadTestClient _client = new();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task KeyInTheBody_StoresTheFile_AndTheLinkServesIt()
    {
        var (response, json) = await StoreAsync(UploadTestClient.Form(Flower, "cat.jpg", ("key", UploadTestClient.ApiKey), ("comment", "a cat")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(200, (int?)json!["status"]);
        Assert.Matches("^store/[a-z0-9]+\\.jpeg$", (string?)json["id"]);
        using var served = await _client.GetImageAsync((string)json["link"]!);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var (_, record) = await _client.ApiAsync(HttpMethod.Get, "/api/v1/assets/uploads/" + (string?)json["id"]);
        Assert.Equal("a cat", (string?)record!["comment"]);
    }

    [Fact]
    public async Task KeyInWwwAuthenticate_IsAccepted()
    {
        var (response, json) = await StoreAsync(UploadTestClient.Form(Flower), wwwAuthenticate: UploadTestClient.ApiKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((string?)json!["link"]);
    }

    [Fact]
    public async Task WrongOrMissingKey_Is401_InPixLabsShape()
    {
        var (wrong, wrongJson) = await StoreAsync(UploadTestClient.Form(Flower, fields: ("key", "wrong-key-0123456789abcdef0123456789")));
        var (missing, _) = await StoreAsync(UploadTestClient.Form(Flower));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (wrong.StatusCode, missing.StatusCode));
        Assert.Equal(401, (int?)wrongJson!["status"]);
        Assert.NotNull((string?)wrongJson["error"]);
        Assert.Empty(Directory.EnumerateFiles(_client.UploadsFolder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task UnsupportedFile_Is415_InPixLabsShape()
    {
        var (response, json) = await StoreAsync(UploadTestClient.Form(Encoding.UTF8.GetBytes("plain text, not an image at all"), "a.jpg", ("key", UploadTestClient.ApiKey)));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(415, (int?)json!["status"]);
        // Logged as the other upload faces log a refused file.
        Assert.Contains(_client.Factory.Logs.Lines, line => line.StartsWith("1001 Request failed: UnsupportedFormat", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task OtherMethods_Are405(string method)
    {
        using var response = await _client.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/store"));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(405, (int?)json!["status"]);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    private async Task<(HttpResponseMessage Response, JsonObject? Json)> StoreAsync(HttpContent form, string? wwwAuthenticate = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/store") { Content = form };
        if (wwwAuthenticate is not null)
        {
            request.Headers.TryAddWithoutValidation("WWW-Authenticate", wwwAuthenticate);
        }

        var response = await _client.Http.SendAsync(request);
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject);
    }
}
