using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Server.Tests.Uploads;
using CdnProxy.Tests.Common;
using CdnProxy.Urls.Security;

namespace CdnProxy.Server.Tests;

/// <summary>
/// Tenant A, holding a signing key and an API key for cloud <c>alpha</c> only, tries to reach cloud <c>bravo</c> (writable,
/// requires signed URLs, holds a private and a public file) through every face: image URL shapes, custom domains,
/// merges, uploads, assets, signed upload URLs and jobs. Nothing of <c>bravo</c> may be read, changed or learnt.
/// </summary>
public sealed class TenantIsolationTests : IDisposable
{
    private const string KeyA = "tenant-a-api-key-0123456789abcdef0123456789";
    private const string KeyB = "tenant-b-api-key-0123456789abcdef0123456789";
    private const string SigningKeyA = "ak-a";
    private const string SigningTokenA = "tok-a";
    private const string ZoneB = "bzone1";
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private readonly string _folderA = Directory.CreateTempSubdirectory("cdnproxy-a-").FullName;
    private readonly string _folderB = Directory.CreateTempSubdirectory("cdnproxy-b-").FullName;
    private readonly UploadTestClient _client;

    public TenantIsolationTests()
    {
        _client = new UploadTestClient(new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:alpha:Origin:Type"] = "local",
            ["CdnProxy:Clouds:alpha:Origin:Root"] = _folderA,
            ["CdnProxy:Clouds:alpha:Origin:Writable"] = "true",
            ["CdnProxy:Clouds:bravo:Origin:Type"] = "local",
            ["CdnProxy:Clouds:bravo:Origin:Root"] = _folderB,
            ["CdnProxy:Clouds:bravo:Origin:Writable"] = "true",
            ["CdnProxy:Clouds:bravo:RequireSignedUrls"] = "true",
            [$"CdnProxy:Clouds:bravo:Zones:{ZoneB}:Origin:Type"] = "local",
            [$"CdnProxy:Clouds:bravo:Zones:{ZoneB}:Origin:Root"] = _folderB,
            ["CdnProxy:CustomDomains:alpha.example.test"] = "alpha",
            ["CdnProxy:CustomDomains:bravo.example.test"] = "bravo",
            ["CdnProxy:Signing:Keys:2:AccessKey"] = SigningKeyA,
            ["CdnProxy:Signing:Keys:2:Token"] = SigningTokenA,
            ["CdnProxy:Signing:Keys:2:Clouds:0"] = "alpha",
            ["CdnProxy:Signing:Keys:3:AccessKey"] = "ak-b",
            ["CdnProxy:Signing:Keys:3:Token"] = "tok-b",
            ["CdnProxy:Signing:Keys:3:Clouds:0"] = "bravo",
            ["CdnProxy:Api:CloudKeys:0:Key"] = KeyA,
            ["CdnProxy:Api:CloudKeys:0:Clouds:0"] = "alpha",
            ["CdnProxy:Api:CloudKeys:1:Key"] = KeyB,
            ["CdnProxy:Api:CloudKeys:1:Clouds:0"] = "bravo",
            ["CdnProxy:Jobs:PollMilliseconds"] = "100",
            ["CdnProxy:Jobs:Destinations:tenant-b"] = "cloud://bravo/stolen",
        });
    }

    public void Dispose()
    {
        _client.Dispose();
        Directory.Delete(_folderA, recursive: true);
        Directory.Delete(_folderB, recursive: true);
    }

    [Theory]
    [InlineData("GET", null, "/v2/bravo/original/secret.jpeg", HttpStatusCode.Unauthorized)]
    [InlineData("GET", null, "/v1/bravo/original/pub.jpeg", HttpStatusCode.Unauthorized)]
    [InlineData("HEAD", null, "/v2/bravo/t.resize(w:20)/secret.jpeg", HttpStatusCode.Unauthorized)]
    [InlineData("GET", null, "/v2/bravo/original/secret.jpeg?info", HttpStatusCode.Unauthorized)]
    [InlineData("GET", null, "/v2/bravo/original/secret.jpeg?download", HttpStatusCode.Unauthorized)]
    [InlineData("GET", null, "/v2/bravo/" + ZoneB + "/original/secret.jpeg", HttpStatusCode.Unauthorized)]
    [InlineData("GET", null, "/v2/bravo/nozone/original/secret.jpeg", HttpStatusCode.Unauthorized)]
    [InlineData("GET", null, "/v2/bravo/wrkr/t.resize(w:20)/secret.jpeg", HttpStatusCode.Unauthorized)]
    [InlineData("GET", null, "/v2/bravo/p:thumb/secret.jpeg", HttpStatusCode.Unauthorized)]
    [InlineData("GET", "bravo.example.test", "/v2/original/secret.jpeg", HttpStatusCode.Unauthorized)]
    [InlineData("GET", "Bravo.Example.Test.", "/v2/original/secret.jpeg", HttpStatusCode.Unauthorized)]
    [InlineData("GET", "bravo.example.test", "/v2/" + ZoneB + "/original/secret.jpeg?info", HttpStatusCode.Unauthorized)]
    [InlineData("GET", null, "/v2/Bravo/original/secret.jpeg", HttpStatusCode.NotFound)] // another cloud name, unknown
    [InlineData("GET", null, "/v2/bravo%2F/original/secret.jpeg", HttpStatusCode.BadRequest)]
    [InlineData("GET", "alpha.example.test", "/v2/bravo/original/secret.jpeg", HttpStatusCode.BadRequest)] // 'b' is a pattern there
    public async Task ImageUrlsOfB_SignedWithAKeyForA_AreRefused_InEveryShape(string method, string? host, string path, HttpStatusCode expected)
    {
        await SeedTenantBAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), Sign(path));
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await _client.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task AMergeInAUrlOfA_ReadsOnlyAsOwnFiles()
    {
        await SeedTenantBAsync();
        using var own = await SendAsync(HttpMethod.Post, "/api/v1/upload", KeyA, UploadTestClient.Form(Flower, "own.jpg", ("cloud", "alpha"), ("name", "own")));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);

        using var traversal = await _client.Http.GetAsync(Sign($"/v2/alpha/t.merge(i:{Base64("../bravo/pub.jpeg")})/own.jpeg"));
        using var sameName = await _client.Http.GetAsync(Sign($"/v2/alpha/t.merge(i:{Base64("pub.jpeg")})/own.jpeg"));
        using var ownMerge = await _client.Http.GetAsync(Sign($"/v2/alpha/t.merge(i:{Base64("own.jpeg")})/own.jpeg"));

        Assert.Equal(HttpStatusCode.BadRequest, traversal.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, sameName.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownMerge.StatusCode);
    }

    [Theory]
    [InlineData("Bravo")]
    [InlineData(" bravo")]
    [InlineData("bravo ")]
    [InlineData("bravo/")]
    [InlineData("bravo.")]
    [InlineData("bravo%20")]
    [InlineData("alpha/../bravo")]
    public async Task CloudNameVariants_InEveryApiFace_NeverReachB(string cloud)
    {
        await SeedTenantBAsync();
        var escaped = Uri.EscapeDataString(cloud);

        using var field = await SendAsync(HttpMethod.Post, "/api/v1/upload", KeyA, UploadTestClient.Form(Flower, "x.jpg", ("cloud", cloud), ("name", "x")));
        using var query = await SendAsync(HttpMethod.Post, "/api/v1/upload?cloud=" + escaped, KeyA, UploadTestClient.Form(Flower, "y.jpg", ("name", "y")));
        using var list = await SendAsync(HttpMethod.Get, "/api/v1/assets?cloud=" + escaped, KeyA);
        using var get = await SendAsync(HttpMethod.Get, $"/api/v1/assets/{escaped}/secret.jpeg", KeyA);
        using var patch = await SendAsync(HttpMethod.Patch, $"/api/v1/assets/{escaped}/secret.jpeg", KeyA, JsonContent.Create(new { access = "public-read" }));
        using var delete = await SendAsync(HttpMethod.Delete, $"/api/v1/assets/{escaped}/secret.jpeg", KeyA);
        using var info = await SendAsync(HttpMethod.Get, $"/api/v1/info/{escaped}/secret.jpeg", KeyA);
        using var purge = await SendAsync(HttpMethod.Delete, "/api/v1/purge", KeyA, JsonContent.Create(new { cloud, filePath = "secret.jpeg" }));
        using var signedUrl = await SendAsync(HttpMethod.Post, "/api/v1/upload/signed-url", KeyA, JsonContent.Create(new { cloud, name = "z" }));

        foreach (var response in new[] { field, query, list, get, patch, delete, info, purge, signedUrl })
        {
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode}");
        }

        await AssertTenantBUntouchedAsync();
    }

    [Theory]
    [InlineData("/api/v1/assets/alpha/..%2Fbravo%2Fsecret.jpeg")]
    [InlineData("/api/v1/assets/alpha/%2E%2E/bravo/secret.jpeg")]
    [InlineData("/api/v1/info/alpha/..%2Fbravo%2Fsecret.jpeg")]
    [InlineData("/api/v1/assets?cloud=alpha&path=..%2Fbravo")]
    [InlineData("/api/v1/assets?cloud=alpha&zone=" + ZoneB)]
    [InlineData("/api/v1/info/alpha/secret.jpeg?zone=" + ZoneB)]
    public async Task PathsAndZonesOfA_DoNotLeadIntoB(string path)
    {
        await SeedTenantBAsync();

        using var response = await SendAsync(HttpMethod.Get, path, KeyA);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task ASignedUploadUrlOfA_WithCloudBSwappedIn_IsRefused_AndStoresNothing()
    {
        using var issued = await SendAsync(HttpMethod.Post, "/api/v1/upload/signed-url", KeyA, JsonContent.Create(new { cloud = "alpha", name = "swap" }));
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var url = new Uri((string)JsonNode.Parse(await issued.Content.ReadAsStringAsync())!["presignedUrl"]!["url"]!);
        var swapped = url.PathAndQuery.Replace("cloud=alpha", "cloud=bravo", StringComparison.Ordinal);

        using var part = await _client.Http.PutAsync(swapped + "&partNumber=1", new ByteArrayContent(Flower));
        using var complete = await _client.Http.PostAsync(swapped, JsonContent.Create(new { parts = new[] { 1 } }));
        using var status = await _client.Http.GetAsync(swapped);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], new[] { part.StatusCode, complete.StatusCode, status.StatusCode });
        Assert.Empty(Directory.GetFiles(_folderB, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("""{"input":{"a":"cloud://Bravo/secret.jpeg"},"output":[{"pattern":"t.resize(w:20)"}]}""")]
    [InlineData("""{"input":{"a":"cloud://bravo./secret.jpeg"},"output":[{"pattern":"t.resize(w:20)"}]}""")]
    [InlineData("""{"input":{"a":"cloud://x@bravo/secret.jpeg"},"output":[{"pattern":"t.resize(w:20)"}]}""")]
    [InlineData("""{"input":{"a":"cloud://bravo:1/secret.jpeg"},"output":[{"pattern":"t.resize(w:20)"}]}""")]
    [InlineData("""{"input":{"a":"cloud://alpha/own.jpeg"},"output":[{"pattern":"t.resize(w:20)","url":"tenant-b"}]}""")]
    [InlineData("""{"input":{"a":"cloud://alpha/own.jpeg"},"output":[{"pattern":"t.resize(w:20)","url":"cloud://Bravo/x"}]}""")]
    public async Task JobsNamingBInAnyForm_AreRefused(string body)
    {
        await SeedTenantBAsync();

        using var response = await SendAsync(HttpMethod.Post, "/api/v1/jobs", KeyA, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await AssertTenantBUntouchedAsync();
    }

    [Fact]
    public async Task AJobOfA_StagedInTheJobsCloud_CannotMergeAPrivateFileOfTheJobsCloud()
    {
        // The jobs cloud (uploads) belongs to another tenant here; A's data-URI input is staged in it.
        using var secret = await SendAsync(HttpMethod.Post, "/api/v1/upload", UploadTestClient.ApiKey, UploadTestClient.Form(Flower, "s.jpg", ("cloud", "uploads"), ("name", "jobsecret"), ("access", "private")));
        Assert.Equal(HttpStatusCode.OK, secret.StatusCode);
        var dataUri = "data:image/jpeg;base64," + Convert.ToBase64String(Flower);
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["a"] = dataUri },
            ["output"] = new JsonArray(new JsonObject { ["pattern"] = $"t.merge(i:{Base64("jobsecret.jpeg")})", ["url"] = "cloud://alpha/out" }),
        };

        using var created = await SendAsync(HttpMethod.Post, "/api/v1/jobs", KeyA, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var job = await WaitForJobAsync((string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!, KeyA);

        Assert.Equal("failed", (string?)job["status"]);
        Assert.Contains("private", (string?)job["error"], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folderA, "out")) && Directory.EnumerateFiles(Path.Combine(_folderA, "out")).Any());
    }

    private async Task SeedTenantBAsync()
    {
        using var secret = await SendAsync(HttpMethod.Post, "/api/v1/upload", KeyB, UploadTestClient.Form(Flower, "s.jpg", ("cloud", "bravo"), ("name", "secret"), ("access", "private")));
        using var pub = await SendAsync(HttpMethod.Post, "/api/v1/upload", KeyB, UploadTestClient.Form(Flower, "p.jpg", ("cloud", "bravo"), ("name", "pub")));
        Assert.True(secret.StatusCode == HttpStatusCode.OK, await secret.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, pub.StatusCode);
    }

    private async Task AssertTenantBUntouchedAsync()
    {
        using var record = await SendAsync(HttpMethod.Get, "/api/v1/assets/bravo/secret.jpeg", KeyB);
        Assert.Equal(HttpStatusCode.OK, record.StatusCode);
        Assert.Equal("private", (string?)JsonNode.Parse(await record.Content.ReadAsStringAsync())!["access"]);
        Assert.Equal(["pub.jpeg", "secret.jpeg"], Directory.GetFiles(_folderB).Select(f => Path.GetFileName(f)).Where(n => !n.Contains(".cdnproxy", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    private async Task<JsonObject> WaitForJobAsync(string id, string key)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await SendAsync(HttpMethod.Get, "/api/v1/jobs/" + id, key);
            var job = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            if ((string?)job["status"] is "complete" or "failed" || DateTime.UtcNow > deadline)
            {
                return job;
            }

            await Task.Delay(100);
        }
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, HttpContent? body = null) =>
        _client.SendAsync(method, path, key, body);

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Signs the path and query with tenant A's key (limited to cloud alpha).</summary>
    private static string Sign(string pathAndQuery) =>
        UrlSigner.Sign("http://localhost" + pathAndQuery, 3600, SigningKeyA, SigningTokenA, DateTimeOffset.UtcNow)["http://localhost".Length..];
}
