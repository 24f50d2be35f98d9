using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>
/// A signed upload URL lives as long as the API key that asked for it: a server restarted without that key (revoked or
/// rotated out) refuses the URL's parts and completion, as it refuses CDN URLs signed with a removed signing key.
/// </summary>
public sealed class SignedUploadRevocationTests : IDisposable
{
    private const string RevokedKey = "leaked-api-key-0123456789abcdef0123456789ab";
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private readonly string _root = Directory.CreateTempSubdirectory("cdnproxy-revoked-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task AfterARestartWithoutTheKeyThatAskedForIt_TheUploadUrl_IsRefused_AndStoresNothing()
    {
        string url;
        using (var before = Server(RevokedKey))
        {
            url = await CreateAsync(before, RevokedKey);
        }

        using var after = Server();
        using var part = await after.Http.PutAsync(url + "&partNumber=1", new ByteArrayContent(Flower));
        using var completed = await after.Http.PostAsync(url, Json("{\"parts\":[1]}"));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (part.StatusCode, completed.StatusCode));
        Assert.Contains("no longer accepted", await part.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "kept.jpeg")));
    }

    [Fact]
    public async Task AfterARestart_AnUploadUrlOfAKeyStillConfigured_Completes()
    {
        string url;
        using (var before = Server(RevokedKey))
        {
            url = await CreateAsync(before, UploadTestClient.ApiKey);
        }

        using var after = Server();
        using var part = await after.Http.PutAsync(url + "&partNumber=1", new ByteArrayContent(Flower));
        using var completed = await after.Http.PostAsync(url, Json("{\"parts\":[1]}"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (part.StatusCode, completed.StatusCode));
        Assert.Equal(Flower, await File.ReadAllBytesAsync(Path.Combine(_root, "kept.jpeg")));
    }

    private UploadTestClient Server(string? secondKey = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:files:Origin:Type"] = "local",
            ["CdnProxy:Clouds:files:Origin:Root"] = _root,
            ["CdnProxy:Clouds:files:Origin:Writable"] = "true",
            // A configured secret: the one setting under which removing a key changed nothing before.
            ["CdnProxy:Uploads:SigningSecret"] = "upload-signing-secret-0123456789abcdef0123",
        };
        if (secondKey is not null)
        {
            settings["CdnProxy:Api:Keys:1"] = secondKey;
        }

        return new UploadTestClient(settings);
    }

    private static async Task<string> CreateAsync(UploadTestClient server, string key)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/upload/signed-url", key, Json("{\"cloud\":\"files\",\"name\":\"kept\"}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return new Uri((string)json["presignedUrl"]!["url"]!).PathAndQuery;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
