using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Urls.Client.Uploads;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>
/// Signed, chunked uploads into a local cloud: the server's own signed chunk URL, parts in any order and sent again,
/// resuming, completion by one call; and the .NET client's <see cref="Uploader"/> with a retried chunk.
/// </summary>
public sealed class SignedUploadTests : IDisposable
{
    private const int Chunk = 5 * 1024 * 1024;

    // 12 MB: three parts of 5 MiB.
    private static readonly byte[] Big = GeneratedImages.NoiseTiff(2000, 2000);

    private readonly UploadTestClient _client = new(new() { ["CdnProxy:Uploads:ChunkSizeBytes"] = Chunk.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Uploader_SendsTheFileInRetriedConcurrentParts_AndTheResultServes()
    {
        var flaky = new FlakyPartHandler(failingPart: 2);
        using var http = _client.Factory.CreateDefaultClient(new Uri("http://localhost/"), flaky);
        var uploader = new Uploader(http, new Uri("http://localhost/"), UploadTestClient.ApiKey);
        var reports = new List<UploadProgress>();

        var file = await uploader.UploadAsync(
            new MemoryStream(Big),
            new UploadArguments { Path = "big", Name = "noise", Tags = ["t1"], Metadata = new JsonObject { ["k"] = "v" } },
            new UploadOptions { ChunkSize = Chunk, RetryDelay = TimeSpan.Zero },
            new SynchronousProgress(reports.Add));

        Assert.Equal(("big/noise.tiff", Big.Length, "public-read"), (file.FileId, file.Size, file.Access));
        Assert.Equal((2000, "v"), ((int?)file.Json["width"], (string?)file.Json["metadata"]!["k"]));
        Assert.Equal([1, 2, 2, 3], flaky.PartAttempts.Order());
        Assert.Equal((Big.Length, 3, 1), (reports[^1].BytesSent, reports[^1].PartsDone, reports[^1].Retries));
        Assert.Equal(Big, await File.ReadAllBytesAsync(Path.Combine(_client.UploadsFolder, "big", "noise.tiff")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_client.UploadsFolder, ".cdnproxy-tmp", "uploads")));
        using var served = await _client.GetImageAsync(file.Url.Replace("/original/", "/t.resize(w:50)/", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task ConcurrentCompletions_OneStoresTheFile_TheOthersFindTheUploadGone()
    {
        var presigned = await CreateAsync("{\"name\":\"race\"}");
        var url = (string)presigned["presignedUrl"]!["url"]!;
        await PutFormAsync(url, 1, Big[..Chunk]);
        await PutFormAsync(url, 2, Big[Chunk..]);

        var completions = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _client.Http.PostAsync(Local(url), Json("{\"parts\":[1,2]}"))));

        var statuses = completions.Select(c => (int)c.StatusCode).Order().ToList();
        foreach (var completion in completions)
        {
            completion.Dispose();
        }

        Assert.Equal([200, 404, 404, 404, 404, 404], statuses);
        Assert.Equal(Big, await File.ReadAllBytesAsync(Path.Combine(_client.UploadsFolder, "race.tiff")));
    }

    [Fact]
    public async Task PixelbinProtocol_PartsAsFormsInAnyOrder_OneSentTwice_CompletedWithPartNumbers()
    {
        var presigned = await CreateAsync("{\"name\":\"pix\",\"access\":\"private\"}");
        var url = (string)presigned["presignedUrl"]!["url"]!;

        await PutFormAsync(url, 3, Big[(2 * Chunk)..]);
        await PutFormAsync(url, 1, Big[..Chunk]);
        await PutFormAsync(url, 2, new byte[Chunk]);          // a bad copy...
        await PutFormAsync(url, 2, Big[Chunk..(2 * Chunk)]);  // ...replaced by the retry
        var status = await _client.Http.GetFromJsonAsync<JsonObject>(Local(url));
        using var completed = await _client.Http.PostAsync(Local(url), Json("{\"parts\":[1,2,3],\"x-cdnproxy-upload-id\":\"ignored\"}"));
        var result = JsonNode.Parse(await completed.Content.ReadAsStringAsync())!;

        Assert.Equal([1, 2, 3], status!["parts"]!.AsArray().Select(p => (int)p!["partNumber"]!));
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.Equal(("pix.tiff", "private"), ((string?)result["fileId"], (string?)result["access"]));
        Assert.Equal(Big, await File.ReadAllBytesAsync(Path.Combine(_client.UploadsFolder, "pix.tiff")));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.GetAsync(Local(url))).StatusCode);
    }

    [Fact]
    public async Task Resume_SendsOnlyTheMissingParts()
    {
        using var http = _client.Factory.CreateDefaultClient(new Uri("http://localhost/"));
        var uploader = new Uploader(http, new Uri("http://localhost/"), UploadTestClient.ApiKey);
        var signed = await uploader.CreateSignedUploadAsync(new UploadArguments { Name = "resumed" }, Big.Length);
        await PutFormAsync(signed.PresignedUrl.Url, 1, Big[..Chunk]);
        var flaky = new FlakyPartHandler(failingPart: 0);
        using var resumingHttp = _client.Factory.CreateDefaultClient(new Uri("http://localhost/"), flaky);

        var file = await new Uploader(resumingHttp, new Uri("http://localhost/"), UploadTestClient.ApiKey)
            .ResumeAsync(signed, new MemoryStream(Big), new UploadOptions { ChunkSize = Chunk });

        Assert.Equal("resumed.tiff", file.FileId);
        Assert.Equal([2, 3], flaky.PartAttempts.Order());
        Assert.Equal(Big, await File.ReadAllBytesAsync(Path.Combine(_client.UploadsFolder, "resumed.tiff")));
    }

    [Fact]
    public async Task ATamperedUrl_Is401_BeforeAnythingIsRead()
    {
        var presigned = await CreateAsync("{\"name\":\"t\"}");
        var url = (string)presigned["presignedUrl"]!["url"]!;

        using var otherCloud = await _client.Http.PutAsync(Local(url.Replace("cloud=uploads", "cloud=demo", StringComparison.Ordinal)) + "&partNumber=1", new ByteArrayContent(Big[..10]));
        using var badSignature = await _client.Http.PutAsync(Local(url[..^3] + "AAA") + "&partNumber=1", new ByteArrayContent(Big[..10]));
        using var laterExpiry = await _client.Http.PutAsync(Local(url.Replace("expires=", "expires=9", StringComparison.Ordinal)) + "&partNumber=1", new ByteArrayContent(Big[..10]));

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], new[] { otherCloud.StatusCode, badSignature.StatusCode, laterExpiry.StatusCode });
    }

    [Theory]
    [InlineData("&partNumber=1&partNumber=3")]
    [InlineData("&partNumber=0")]
    [InlineData("&partNumber=10001")]
    [InlineData("&partNumber=x")]
    [InlineData("")]
    public async Task APartNumberThatIsNotOneValidNumber_Is400(string query)
    {
        var presigned = await CreateAsync("{\"name\":\"parts\"}");
        var url = (string)presigned["presignedUrl"]!["url"]!;

        using var response = await _client.Http.PutAsync(Local(url) + query, new ByteArrayContent(Big[..10]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("partNumber", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompletingWithAMissingPart_Is400_AndTheSessionStays()
    {
        var presigned = await CreateAsync("{\"name\":\"gap\"}");
        var url = (string)presigned["presignedUrl"]!["url"]!;
        await PutFormAsync(url, 1, Big[..Chunk]);

        using var gap = await _client.Http.PostAsync(Local(url), Json("{\"parts\":[1,2]}"));
        using var unordered = await _client.Http.PostAsync(Local(url), Json("{\"parts\":[2,1]}"));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (gap.StatusCode, unordered.StatusCode));
        Assert.Equal(HttpStatusCode.OK, (await _client.Http.GetAsync(Local(url))).StatusCode);
    }

    [Fact]
    public async Task CompletedContentIsCheckedLikeAnyUpload()
    {
        var presigned = await CreateAsync("{\"name\":\"text\"}");
        var url = (string)presigned["presignedUrl"]!["url"]!;
        await PutFormAsync(url, 1, Encoding.UTF8.GetBytes("not an image, only text"));

        using var completed = await _client.Http.PostAsync(Local(url), Json("{\"parts\":[1]}"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, completed.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(_client.UploadsFolder, "text*"));
    }

    [Fact]
    public async Task ExistingPath_IsRefusedWhenTheUploadIsCreated()
    {
        await _client.UploadAsync(UploadTestClient.Form(GeneratedImages.Png(4, 4), "x.png", ("name", "taken")));

        var (response, _) = await _client.ApiAsync(HttpMethod.Post, "/api/v1/upload/signed-url", Json("{\"name\":\"taken\",\"format\":\"png\"}"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Abort_EndsTheSession()
    {
        var presigned = await CreateAsync("{\"name\":\"aborted\"}");
        var url = (string)presigned["presignedUrl"]!["url"]!;
        await PutFormAsync(url, 1, Big[..Chunk]);

        using var aborted = await _client.Http.DeleteAsync(Local(url));

        Assert.Equal(HttpStatusCode.NoContent, aborted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.GetAsync(Local(url))).StatusCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_client.UploadsFolder, ".cdnproxy-tmp", "uploads")));
    }

    [Theory]
    [InlineData("{\"name\":\"a\",\"expiry\":1.5}", "'expiry' has a value of the wrong type or out of its range")]
    [InlineData("{\"name\":\"a\",\"expiry\":[600]}", "'expiry' has a value of the wrong type or out of its range")]
    [InlineData("{\"name\":7}", "'name' has a value of the wrong type or out of its range")]
    [InlineData("{\"name\":\"a\",\"expiry\":99999999999}", "'expiry' has a value of the wrong type or out of its range")]
    [InlineData("{\"name\":\"a\",\"expiry\":abc}", "The body must be JSON")]
    [InlineData("{\"name\":\"a\",\"name\":\"b\"}", "The body must be JSON")]
    [InlineData("{\"name\":\"a\",\"metadata\":\"x\"}", "metadata must be a JSON object")]
    [InlineData("{\"name\":\"a\",\"metadata\":[1]}", "metadata must be a JSON object")]
    [InlineData("{\"name\":", "The body must be JSON")]
    public async Task SignedUrlBody_OfTheWrongShape_Is400_NamingTheField(string body, string message)
    {
        var (response, json) = await _client.ApiAsync(HttpMethod.Post, "/api/v1/upload/signed-url", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, (string?)json!["error"]!["message"]);
    }

    private static string Local(string url) => new Uri(url).PathAndQuery;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<JsonObject> CreateAsync(string body)
    {
        var (response, json) = await _client.ApiAsync(HttpMethod.Post, "/api/v1/upload/signed-url", Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lifetime = DateTimeOffset.Parse((string)json!["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow;
        Assert.InRange(lifetime.TotalSeconds, 2900, 3000); // the seed's default lifetime
        return json;
    }

    /// <summary>A chunk as the Pixelbin SDK sends it: the fields, then the bytes as <c>file</c>.</summary>
    private async Task PutFormAsync(string url, int part, byte[] bytes)
    {
        using var form = UploadTestClient.Form(bytes, "file", ("x-cdnproxy-upload-id", "any"));
        using var response = await _client.Http.PutAsync(Local(url) + "&partNumber=" + part, form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private sealed class SynchronousProgress(Action<UploadProgress> report) : IProgress<UploadProgress>
    {
        public void Report(UploadProgress value) => report(value);
    }
}
