using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Core.Assets;
using CdnProxy.Server.Tests.Uploads;
using CdnProxy.Tests.Common;
using Microsoft.AspNetCore.Http;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// Pixble's face on the whole server (real SQLite store, workers and pipeline): task 9 submitted as JSON, form and
/// multipart, polled to status 11, its files downloaded from <c>/media/get</c>; a corrupt image fails with 912;
/// keys in the query, body and headers; refusals in Pixble's envelope before anything is stored.
/// </summary>
public sealed class PixbleJobTests : IAsyncLifetime
{
    private const string OtherKey = "pixble-tests-other-key-0123456789abcdef0123";
    private static readonly byte[] Photo = TestImages.Read(TestImages.Sample("cmyk-video001.jpeg"));
    private JobFaceServer? _server;

    private UploadTestClient Client => _server!.Client;

    private CallbackReceiver Receiver => _server!.Receiver;

    public async Task InitializeAsync() => _server = await JobFaceServer.StartAsync(JobFaceServer.Settings(("CdnProxy:Api:Keys:1", OtherKey)));

    public async Task DisposeAsync() => await (_server?.DisposeAsync() ?? ValueTask.CompletedTask);

    [Fact]
    public async Task Task9_CompletesWithStatus11_AndItsFilesAreTheBytesMediaGetServes()
    {
        var (created, answer) = await PostJsonAsync(new JsonObject
        {
            ["task"] = 9,
            ["key"] = UploadTestClient.ApiKey,
            ["data"] = Convert.ToBase64String(Photo),
            ["adv_illumin"] = 2.5,
            ["webhook"] = Receiver.Url("hook"),
        });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal((true, "", ""), ((bool)answer!["status"]!, (string?)answer["error_code"], (string?)answer["error_message"]));
        Assert.True((long)answer["timestamp"]! > 0);
        var jobId = (string)answer["result"]!["job_id"]!;
        Assert.StartsWith("jb_", jobId, StringComparison.Ordinal);

        var info = await WaitAsync(jobId);
        Assert.Equal(11, (int)info["status"]!);
        Assert.Equal(("9", "key", jobId), ((string?)info["task_id"], (string?)info["created_via"], (string?)info["job_id"]));
        Assert.NotNull((string?)info["completed_at"]);
        Assert.Equal(2.5, (double)info["options"]!["adv_illumin"]!);
        var files = info["files"]!.AsArray();
        Assert.Equal(2, files.Count);
        var input = files.Single(f => (string?)f!["source"] == "USER_API_UPLOAD")!;
        var output = files.Single(f => (string?)f!["source"] == "OUTPUT")!;
        Assert.Equal(((string?)input["file_id"], (string?)output["file_id"]), ((string?)info["input_file"], (string?)info["output_file"]));

        // The input is the image sent, byte for byte.
        var (inputType, inputBytes) = await MediaAsync((string)input["link"]!);
        Assert.Equal(Photo, inputBytes);
        Assert.Equal(("image/jpeg", Photo.Length, "150x103"), (inputType, (int)input["size"]!, (string?)input["dim"]));

        // The output: size, type and dim are those of the bytes /media/get serves.
        var (outputType, outputBytes) = await MediaAsync((string)output["link"]!);
        var decoded = ImageHeaderReader.Read(new MemoryStream(outputBytes), outputBytes.Length);
        Assert.Equal(outputBytes.Length, (int)output["size"]!);
        Assert.Equal(($"{decoded.Width}x{decoded.Height}", "image/jpeg"), ((string?)output["dim"], (string?)output["content_type"]));
        Assert.Equal(("image/jpeg", "150x103"), (outputType, (string?)output["dim"]));
        Assert.Equal((string)output["link"]!, $"http://localhost/media/get/{(string)output["file_id"]!}");

        // Rendered by the pipeline with the catalogue's enhance.magic: the same URL on the CDN gives the same bytes.
        var inputUrl = (string)input["url"]!;
        using var viaUrl = await Client.GetImageAsync(inputUrl.Replace("/original/", "/enhance.magic(ci:1,ai:2.5,cc:1)/", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, viaUrl.StatusCode);
        Assert.Equal(outputBytes, await viaUrl.Content.ReadAsByteArrayAsync());
        Assert.NotEqual(Photo, outputBytes);

        // A job id at /media/get means its output (Pixble: "your file id or job id").
        Assert.Equal(outputBytes, (await MediaAsync($"/media/get/{jobId}?key={UploadTestClient.ApiKey}", withKey: false)).Bytes);

        // The webhook: the /job/info answer, signed, once.
        var hook = JsonNode.Parse(await Receiver.SingleSignedAsync(SixPxJobTests.Secret))!;
        Assert.Equal((true, jobId, 11), ((bool)hook["status"]!, (string?)hook["result"]!["job_id"], (int)hook["result"]!["status"]!));
    }

    [Fact]
    public async Task ACorruptImage_FailsWith912_AndAPublicMessage()
    {
        // The photo cut in half: its header is whole (the upload path stores it), its scan data ends early.
        var truncated = Photo[..(Photo.Length / 2)];
        var (created, answer) = await PostJsonAsync(new JsonObject { ["task"] = 9, ["key"] = UploadTestClient.ApiKey, ["data"] = Convert.ToBase64String(truncated) });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);

        var info = await WaitAsync((string)answer!["result"]!["job_id"]!);

        Assert.Equal(912, (int)info["status"]!);
        var error = (string)info["error"]!;
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.DoesNotContain("vips", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
        Assert.Null(info["output_file"]);
        Assert.Equal("USER_API_UPLOAD", (string?)Assert.Single(info["files"]!.AsArray())!["source"]);
        Assert.NotNull((string?)info["completed_at"]);
    }

    [Fact]
    public async Task TheKey_WorksInTheQuery_TheFormBody_AMultipartFile_AndHeaders()
    {
        var data = Convert.ToBase64String(Photo);

        // Pixble's Python example: a urlencoded form with the key in it.
        using var form = new FormUrlEncodedContent([new("task", "9"), new("key", UploadTestClient.ApiKey), new("data", data), new("clarify_image", "0")]);
        using var byForm = await Client.Http.PostAsync("/job/new", form);

        // The key in the query, the image as a multipart file part.
        using var multipart = new MultipartFormDataContent();
        multipart.Add(new StringContent("9"), "task");
        var file = new ByteArrayContent(Photo);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        multipart.Add(file, "data", "photo.jpg");
        using var byQuery = await Client.Http.PostAsync($"/job/new?key={UploadTestClient.ApiKey}", multipart);

        // Bearer, as the other APIs take it.
        using var bearer = new HttpRequestMessage(HttpMethod.Post, "/job/new") { Content = Json(new JsonObject { ["task"] = "9", ["data"] = "data:image/jpeg;base64," + data }) };
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", UploadTestClient.ApiKey);
        using var byHeader = await Client.Http.SendAsync(bearer);

        // curl -d without a JSON content type: sent as a urlencoded form, read as the JSON it is.
        using var curlLike = new StringContent(new JsonObject { ["task"] = 9, ["key"] = UploadTestClient.ApiKey, ["data"] = data }.ToJsonString(), Encoding.UTF8, "application/x-www-form-urlencoded");
        using var byCurl = await Client.Http.PostAsync("/job/new", curlLike);

        foreach (var response in new[] { byForm, byQuery, byHeader, byCurl })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var jobId = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!["job_id"]!;
            var info = await WaitAsync(jobId);
            Assert.Equal(11, (int)info["status"]!);
            Assert.Equal(Photo.Length, (int)info["files"]!.AsArray().Single(f => (string?)f!["source"] == "USER_API_UPLOAD")!["size"]!);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-key")]
    public async Task AWrongOrMissingKey_Is401InPixblesEnvelope_AndNothingIsStored(string? key)
    {
        var (response, json) = await PostJsonAsync(new JsonObject { ["task"] = 9, ["key"] = key, ["data"] = Convert.ToBase64String(Photo) });
        using var info = await Client.Http.GetAsync($"/job/info/jb_0193a0b0c0d0e0f00000000000000000?key={key}");
        using var media = await Client.Http.GetAsync("/media/get/fi_0193a0b0c0d0e0f00000000000000000_output");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal((false, "api_key_invalid"), ((bool)json!["status"]!, (string?)json["error_code"]));
        Assert.Null(json["result"]);
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (info.StatusCode, media.StatusCode));
        Assert.Equal("application/json", info.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await StoredJobsAsync());
    }

    [Theory]
    [InlineData("adv_illumin", "5.5", "adv_illumin")]
    [InlineData("adv_illumin", "-1", "adv_illumin")]
    [InlineData("adv_illumin", "bright", "adv_illumin")]
    [InlineData("clarify_image", "2", "clarify_image")]
    [InlineData("color_correction", "yes", "color_correction")]
    [InlineData("task", "7", "task '7'")]
    [InlineData("adv_ilumin", "1", "unknown field 'adv_ilumin'")]
    [InlineData("data", "not base64!", "base64")]
    [InlineData("data", "aGVsbG8gd29ybGQ=", "not an image")]
    [InlineData("webhook", "ftp://example.com/hook", "webhook")]
    public async Task InvalidFields_Are4xxInPixblesEnvelope_BeforeAnythingIsStored(string field, string value, string message)
    {
        var body = new JsonObject { ["task"] = 9, ["key"] = UploadTestClient.ApiKey, ["data"] = Convert.ToBase64String(Photo) };
        body[field] = value;

        var (response, json) = await PostJsonAsync(body);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.False((bool)json!["status"]!);
        Assert.Contains(message, (string)json["error_message"]!, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)json["error_code"]));
        Assert.Equal(0, await StoredJobsAsync());
    }

    [Theory]
    [InlineData("adv_illumin", "5")]
    [InlineData("data", "")] // a second image, as a text field beside the file
    public async Task AFieldGivenTwiceInAForm_Is400_AndNothingIsStored(string field, string first)
    {
        using var multipart = new MultipartFormDataContent();
        multipart.Add(new StringContent("9"), "task");
        multipart.Add(new StringContent(first), field);
        if (field != "data")
        {
            multipart.Add(new StringContent("1"), field);
        }

        multipart.Add(new ByteArrayContent(Photo), "data", "photo.jpg");
        using var response = await Client.Http.PostAsync($"/job/new?key={UploadTestClient.ApiKey}", multipart);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await StoredJobsAsync());
    }

    [Fact]
    public async Task AWrongKeyThenAValidOneInTheForm_IsRefused()
    {
        // The last one was taken, where two different keys in the headers are refused.
        using var form = new FormUrlEncodedContent([new("task", "9"), new("key", "not-a-key"), new("key", UploadTestClient.ApiKey), new("data", Convert.ToBase64String(Photo))]);
        using var response = await Client.Http.PostAsync("/job/new", form);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await StoredJobsAsync());
    }

    [Fact]
    public async Task APhoto_IsEnhanced_AndPreviewedInside512px()
    {
        var flower = TestImages.Read(TestImages.Flower);
        using var multipart = new MultipartFormDataContent();
        multipart.Add(new StringContent("9"), "task");
        multipart.Add(new StringContent(UploadTestClient.ApiKey), "key");
        multipart.Add(new ByteArrayContent(flower), "data", "flower.jpg");
        using var created = await Client.Http.PostAsync("/job/new", multipart);
        var jobId = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["result"]!["job_id"]!;

        var info = await WaitAsync(jobId);

        Assert.Equal(11, (int)info["status"]!);
        var output = info["files"]!.AsArray().Single(f => (string?)f!["source"] == "OUTPUT")!;
        var dim = ((string)output["dim"]!).Split('x').Select(int.Parse).ToArray();
        var (type, preview) = await MediaAsync((string)output["preview"]!);
        var decoded = ImageHeaderReader.Read(new MemoryStream(preview), preview.Length);
        Assert.Equal("image/jpeg", type);
        Assert.Equal(512, Math.Max(decoded.Width, decoded.Height));
        Assert.Equal(dim[0] * 1.0 / dim[1], decoded.Width * 1.0 / decoded.Height, 2);
    }

    [Fact]
    public async Task AnImageOverMaxInputBytes_Is422_ABodyOverTheCap_Is413()
    {
        using var small = new UploadTestClient(new Dictionary<string, string?> { ["CdnProxy:Jobs:MaxInputBytes"] = "10000" });
        using var tooLarge = await small.Http.PostAsync("/job/new", Json(new JsonObject { ["task"] = 9, ["key"] = UploadTestClient.ApiKey, ["data"] = Convert.ToBase64String(Photo) }));
        using var huge = await small.Http.PostAsync($"/job/new?key={UploadTestClient.ApiKey}", Json(new JsonObject { ["task"] = 9, ["data"] = Convert.ToBase64String(new byte[200_000]) }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLarge.StatusCode);
        Assert.Equal("source_too_large", (string?)JsonNode.Parse(await tooLarge.Content.ReadAsStringAsync())!["error_code"]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal("upload_too_large", (string?)JsonNode.Parse(await huge.Content.ReadAsStringAsync())!["error_code"]);
    }

    [Fact]
    public async Task AReplayedIdempotencyKey_AnswersTheFirstJob_AndKeepsOneCopyOfTheImage()
    {
        async Task<string> SubmitAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/job/new")
            {
                Content = Json(new JsonObject { ["task"] = 9, ["key"] = UploadTestClient.ApiKey, ["data"] = Convert.ToBase64String(Photo) }),
            };
            request.Headers.Add("Idempotency-Key", "retry-1");
            using var response = await Client.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!["job_id"]!;
        }

        var first = await SubmitAsync();
        var replay = await SubmitAsync();

        Assert.Equal(first, replay);
        var input = Assert.Single(Directory.GetFiles(Path.Combine(Client.UploadsFolder, "jobs"), "input.jpeg", SearchOption.AllDirectories));
        Assert.Contains(first["jb_".Length..], input, StringComparison.Ordinal);
        Assert.Equal(11, (int)(await WaitAsync(first))["status"]!);
    }

    [Fact]
    public async Task AnotherKey_CannotSeeTheJobOrItsFiles()
    {
        var (_, answer) = await PostJsonAsync(new JsonObject { ["task"] = 9, ["key"] = UploadTestClient.ApiKey, ["data"] = Convert.ToBase64String(Photo) });
        var jobId = (string)answer!["result"]!["job_id"]!;
        var info = await WaitAsync(jobId);

        using var otherInfo = await Client.Http.GetAsync($"/job/info/{jobId}?key={OtherKey}");
        using var otherMedia = await Client.Http.GetAsync($"/media/get/{(string)info["output_file"]!}?key={OtherKey}");
        using var ownMedia = await Client.Http.GetAsync($"/media/get/{(string)info["output_file"]!}?key={UploadTestClient.ApiKey}");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK), (otherInfo.StatusCode, otherMedia.StatusCode, ownMedia.StatusCode));
        var json = JsonNode.Parse(await otherInfo.Content.ReadAsStringAsync())!;
        Assert.Equal((false, "not_found"), ((bool)json["status"]!, (string?)json["error_code"]));
    }

    private async Task<JsonObject> WaitAsync(string jobId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await Client.Http.GetAsync($"/job/info/{jobId}?key={UploadTestClient.ApiKey}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var envelope = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True((bool)envelope["status"]!);
            var info = envelope["result"]!.AsObject();
            var status = (int)info["status"]!;
            Assert.Contains(status, new[] { 11, 312, 912 });
            if (status != 312 || DateTime.UtcNow > deadline)
            {
                return info;
            }

            await Task.Delay(100);
        }
    }

    private async Task<(string? Type, byte[] Bytes)> MediaAsync(string link, bool withKey = true)
    {
        var path = new Uri(new Uri("http://localhost"), link).PathAndQuery;
        using var response = await Client.Http.GetAsync(withKey ? $"{path}?key={UploadTestClient.ApiKey}" : path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task<(HttpResponseMessage Response, JsonObject? Json)> PostJsonAsync(JsonObject body)
    {
        var response = await Client.Http.PostAsync("/job/new", Json(body));
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject);
    }

    /// <summary>Pixble jobs stored for either key, and files stored for jobs in the jobs cloud.</summary>
    private async Task<int> StoredJobsAsync()
    {
        var store = (CdnProxy.Core.Jobs.IJobStore)Client.Factory.Services.GetService(typeof(CdnProxy.Core.Jobs.IJobStore))!;
        var total = 0;
        foreach (var key in new[] { UploadTestClient.ApiKey, OtherKey })
        {
            total += (await store.ListAsync(new(Owner(key), ["pixble"], null, true, 100), default)).Count;
        }

        var jobsFolder = Path.Combine(Client.UploadsFolder, "jobs");
        return total + (Directory.Exists(jobsFolder) ? Directory.GetFiles(jobsFolder, "*", SearchOption.AllDirectories).Length : 0);
    }

    private static string Owner(string key) => CdnProxy.Server.Uploads.UploadRateLimiter.Partition(key, new DefaultHttpContext());

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
