using System.Net;
using System.Text;
using CdnProxy.Server.Tests.Jobs;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>
/// The jobs' folder of the jobs cloud (<c>jobs/{id}/…</c>) is kept from the asset and upload APIs: every API key could
/// list, change and delete every other key's job inputs and outputs through them (found by an adversarial probe).
/// </summary>
public sealed class JobFilesKeptTests : IDisposable
{
    private readonly UploadTestClient _client = new(JobFaceServer.Settings(("CdnProxy:Clouds:uploads:Listable", "true")));

    public JobFilesKeptTests()
    {
        // A job's output as the jobs engine stores it, and an ordinary upload beside it.
        var outputs = Directory.CreateDirectory(Path.Combine(_client.UploadsFolder, "jobs", "j1", "outputs")).FullName;
        File.WriteAllBytes(Path.Combine(outputs, "a.png"), GeneratedImages.Png(8, 8));
    }

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task AJobsFile_IsNotFound_ThroughTheAssetsApi(string method)
    {
        var body = method == "PATCH" ? Json("{\"access\":\"private\"}") : null;

        var (response, _) = await _client.ApiAsync(new HttpMethod(method), "/api/v1/assets/uploads/jobs/j1/outputs/a.png", body);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(File.Exists(Path.Combine(_client.UploadsFolder, "jobs", "j1", "outputs", "a.png")));
    }

    [Fact]
    public async Task Listings_DoNotShowTheJobsFolder_NorOpenIt()
    {
        var (uploaded, _) = await _client.UploadAsync(UploadTestClient.Form(GeneratedImages.Png(8, 8), fields: ("name", "mine")));
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);

        var (root, json) = await _client.ApiAsync(HttpMethod.Get, "/api/v1/assets?cloud=uploads");
        var (inside, _) = await _client.ApiAsync(HttpMethod.Get, "/api/v1/assets?cloud=uploads&path=jobs/j1");

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        var names = json!["items"]!.AsArray().Select(item => (string?)item!["name"]).ToList();
        Assert.Contains("mine", names);
        Assert.DoesNotContain("jobs", names);
        Assert.Equal(HttpStatusCode.NotFound, inside.StatusCode);
    }

    [Fact]
    public async Task ThePublicListing_OfAListableJobsCloud_LeavesTheJobsFolderOut()
    {
        // Anyone may read that listing: it would name every key's job inputs and outputs.
        var (uploaded, _) = await _client.UploadAsync(UploadTestClient.Form(GeneratedImages.Png(8, 8), fields: ("name", "mine")));
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);

        var listing = await _client.Http.GetStringAsync(new Uri("/api/v1/clouds/uploads/files", UriKind.Relative));

        Assert.Contains("\"mine.png\"", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("jobs/", listing, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jobs")]
    [InlineData("/jobs/j1/outputs")]
    public async Task UploadsIntoTheJobsFolder_AreRefused(string path)
    {
        var (direct, _) = await _client.UploadAsync(UploadTestClient.Form(GeneratedImages.Png(8, 8), fields: [("name", "a"), ("path", path), ("overwrite", "true")]));
        var (signed, _) = await _client.ApiAsync(HttpMethod.Post, "/api/v1/upload/signed-url", Json($"{{\"name\":\"a\",\"path\":\"{path}\"}}"));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (direct.StatusCode, signed.StatusCode));
        Assert.Equal(GeneratedImages.Png(8, 8).Length, new FileInfo(Path.Combine(_client.UploadsFolder, "jobs", "j1", "outputs", "a.png")).Length);
    }

    [Fact]
    public async Task AJobsDestination_InTheJobsFolder_IsRefused()
    {
        var png = Convert.ToBase64String(GeneratedImages.Png(8, 8));
        var body = $"{{\"input\":{{\"a\":\"data:image/png;base64,{png}\"}},\"output\":[{{\"methods\":[],\"type\":\"image/png\",\"ref\":{{\"a\":\"a\"}},\"url\":\"cloud://uploads/jobs/j1/outputs\"}}]}}";

        var (response, json) = await _client.ApiAsync(HttpMethod.Post, "/api/v1/jobs", Json(body));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {json?.ToJsonString()}");
    }

    [Theory]
    [InlineData("{\"name\":\"../x\"}", HttpStatusCode.BadRequest)] // refused now, not after every part was sent
    [InlineData("{\"name\":\"x\",\"size\":-1}", HttpStatusCode.BadRequest)]
    [InlineData("{\"name\":\"x\",\"size\":0}", HttpStatusCode.BadRequest)]
    public async Task ASignedUploadsPathAndSize_AreCheckedWhenItIsCreated(string body, HttpStatusCode expected)
    {
        var (response, _) = await _client.ApiAsync(HttpMethod.Post, "/api/v1/upload/signed-url", Json(body));

        Assert.Equal(expected, response.StatusCode);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
