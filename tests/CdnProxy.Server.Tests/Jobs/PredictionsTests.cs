using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Core.Jobs;
using CdnProxy.Server.Tests.Uploads;
using CdnProxy.Server.Uploads;
using CdnProxy.Tests.Common;
using CdnProxy.Urls.Client.Predictions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// Pixelbin's predictions face on the whole server (real SQLite store, real workers and pipeline), driven by the .NET
/// client's <see cref="Predictions"/>: a model runs to SUCCESS and its output serves, the models and schemas are the
/// catalogue's, invalid input is refused before anything is stored, a corrupt image fails with a public message.
/// </summary>
public sealed class PredictionsTests : IAsyncLifetime
{
    private const string OtherKey = "predictions-other-key-0123456789abcdef012345";
    private static readonly byte[] Tulips = TestImages.Read(TestImages.Sample("alpha-500-tulips.png"));
    private JobFaceServer? _server;

    private UploadTestClient Client => _server!.Client;

    private CallbackReceiver Receiver => _server!.Receiver;

    private Predictions Predictions => new(Client.Http, new Uri("http://localhost/"), UploadTestClient.ApiKey);

    private static PredictionWaitOptions Quick => new() { RetryInterval = TimeSpan.FromSeconds(1), MaxAttempts = 60 };

    public async Task InitializeAsync() => _server = await JobFaceServer.StartAsync(JobFaceServer.Settings(("CdnProxy:Api:Keys:1", OtherKey)));

    public async Task DisposeAsync() => await (_server?.DisposeAsync() ?? ValueTask.CompletedTask);

    [Fact]
    public async Task CreateAndWait_EnhanceMagic_Succeeds_OutputServes_WebhookSigned()
    {
        var input = new JsonObject { ["image"] = Predictions.DataUri(Tulips, "image/png"), ["ai"] = 2, ["ci"] = false };

        var done = await Predictions.CreateAndWaitAsync("enhance_magic", input, new Uri(Receiver.Url("hook")), Quick);

        Assert.Equal((Prediction.Success, "enhance_magic", "unlimited"), (done.Status, done.Name, done.Retention));
        Assert.StartsWith("enhance--magic--", done.Id, StringComparison.Ordinal);
        Assert.Equal(new Uri("http://localhost/api/v1/predictions/" + done.Id), done.GetUrl);
        Assert.Contains("/v2/uploads/original/", (string?)done.Input["image"], StringComparison.Ordinal);
        var output = Assert.Single(done.Output);
        Assert.EndsWith("/result_0.png", output.AbsolutePath, StringComparison.Ordinal);
        using var served = await Client.GetImageAsync(output.AbsoluteUri);
        var bytes = await served.Content.ReadAsByteArrayAsync();
        Assert.Equal((HttpStatusCode.OK, "image/png"), (served.StatusCode, served.Content.Headers.ContentType?.MediaType));
        Assert.Equal((500, 500), PngSize(bytes));
        Assert.NotEqual(Tulips, bytes);

        var body = JsonNode.Parse(await Receiver.SingleSignedAsync(SixPxJobTests.Secret))!;
        Assert.Equal((done.Id, "SUCCESS", output.AbsoluteUri), ((string?)body["_id"], (string?)body["status"], (string?)body["output"]![0]));
    }

    [Fact]
    public async Task Create_AnswersTheSeedsShape_Accepted()
    {
        var (response, json) = await Client.ApiAsync(HttpMethod.Post, "/api/v1/predictions", Json(new JsonObject
        {
            ["name"] = "smart_crop",
            ["input"] = new JsonObject { ["image"] = "cloud://demo/photo-3mp-flower.jpg", ["w"] = 120, ["h"] = 120, ["format"] = "webp" },
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ACCEPTED", (string?)json!["status"]);
        var id = (string)json["_id"]!;
        Assert.StartsWith("smart--crop--", id, StringComparison.Ordinal);
        Assert.Equal("http://localhost/api/v1/predictions/" + id, (string?)json["urls"]!["get"]);
        Assert.True(DateTimeOffset.TryParse((string?)json["createdAt"], out _));
        Assert.Equal("unlimited", (string?)json["retention"]);
        Assert.Equal("cloud://demo/photo-3mp-flower.jpg", (string?)json["input"]!["image"]);

        var done = await Predictions.WaitAsync(id, Quick);
        using var served = await Client.GetImageAsync(done.Output[0].AbsoluteUri);
        Assert.Equal((Prediction.Success, "image/webp"), (done.Status, served.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task TheSeedSdksWireForm_MultipartWithAFile_AndFlatJson_RunToo()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Tulips);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        form.Add(file, "input.image", "tulips.png");
        form.Add(new StringContent("false"), "input.ci");
        form.Add(new StringContent("1.5"), "input.ai");
        var (multipart, fromForm) = await Client.ApiAsync(HttpMethod.Post, "/api/v1/predictions/enhance/magic", form);
        var (flat, fromJson) = await Client.ApiAsync(HttpMethod.Post, "/api/v1/predictions/smart/crop", Json(new JsonObject
        {
            ["input.image"] = "cloud://demo/photo-3mp-flower.jpg",
            ["input.w"] = "64",
            ["input.h"] = "48",
        }));
        var (unknown, _) = await Client.ApiAsync(HttpMethod.Post, "/api/v1/predictions/smart/crop", Json(new JsonObject { ["image"] = "cloud://demo/photo-3mp-flower.jpg" }));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.BadRequest), (multipart.StatusCode, flat.StatusCode, unknown.StatusCode));
        Assert.Equal(("ACCEPTED", "data:image/png;base64,\u2026"), ((string?)fromForm!["status"], (string?)fromForm["input"]!["image"]));
        var enhanced = await Predictions.WaitAsync((string)fromForm["_id"]!, Quick);
        var cropped = await Predictions.WaitAsync((string)fromJson!["_id"]!, Quick);
        using var image = await Client.GetImageAsync(cropped.Output[0].AbsoluteUri);
        var jpeg = await image.Content.ReadAsByteArrayAsync();

        Assert.Equal((Prediction.Success, Prediction.Success), (enhanced.Status, cropped.Status));
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        Assert.True(jpeg.Length > 100);
    }

    [Fact]
    public async Task ModelsAndSchemas_AreTheCataloguesBinders()
    {
        var models = await Predictions.ListModelsAsync();
        var schema = await Predictions.GetSchemaAsync("enhance_magic");
        var crop = await Predictions.GetSchemaAsync("smart_crop");
        using var catalog = await Client.Http.GetAsync("/api/v1/catalog");
        var magic = JsonNode.Parse(await catalog.Content.ReadAsStringAsync())!["operations"]!.AsArray()
            .Single(o => (string?)o!["name"] == "enhance.magic")!["arguments"]!.AsArray();
        using var unknown = await Client.Http.GetAsync("/api/v1/predictions/erase_bg/schema");

        Assert.Equal(["enhance_magic", "smart_crop", "image_info", "render_pattern"], models.Select(m => m.Name));
        Assert.All(models, m => Assert.False(string.IsNullOrEmpty(m.Description)));
        Assert.Equal(["image", .. magic.Select(a => (string)a!["key"]!), "format"], schema["input"]!.AsObject().Select(p => p.Key));
        foreach (var argument in magic)
        {
            var field = schema["input"]![(string)argument!["key"]!]!;
            Assert.Equal(((double?)argument["min"], (double?)argument["max"]), ((double?)field["minimum"], (double?)field["maximum"]));
            Assert.Equal(double.Parse((string)argument["default"]!, System.Globalization.CultureInfo.InvariantCulture), (double)field["default"]!);
        }

        Assert.Equal(["attention", "entropy", "face"], crop["input"]!["p"]!["enum"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("attention", (string?)crop["input"]!["p"]!["default"]);
        Assert.Equal(["image", "w", "h"], crop["required"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not_found", (string?)JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["error"]?["code"]
            ?? (string?)JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["code"]);
    }

    [Fact]
    public async Task ImageInfo_OutputsTheInfoApisJson()
    {
        var done = await Predictions.CreateAndWaitAsync("image_info", new JsonObject { ["image"] = "cloud://demo/photo-3mp-flower.jpg" }, options: Quick);
        var (_, direct) = await Client.ApiAsync(HttpMethod.Get, "/api/v1/info/demo/photo-3mp-flower.jpg");
        var schema = await Predictions.GetSchemaAsync("image_info");

        Assert.Equal(Prediction.Success, done.Status);
        Assert.Empty(done.Output);
        Assert.True(JsonNode.DeepEquals(direct, done.OutputJson), done.OutputJson?.ToJsonString());
        Assert.NotNull(direct!["width"] ?? direct["context"]);
        Assert.Equal(["image", "gps", "faces"], schema["input"]!.AsObject().Select(p => p.Key));
        Assert.Equal("object", (string?)schema["output"]!["type"]);
    }

    [Fact]
    public async Task ImageInfo_WithFaces_BoxesTheFaceOfAPortrait()
    {
        var portrait = "data:image/png;base64," + Convert.ToBase64String(TestImages.Read(TestImages.Asset("faces/astronaut.png")));
        var done = await Predictions.CreateAndWaitAsync("image_info", new JsonObject { ["image"] = portrait, ["faces"] = true }, options: Quick);

        Assert.Equal(Prediction.Success, done.Status);
        Assert.Single(done.OutputJson!["faces"]!.AsArray());
    }

    [Theory]
    [InlineData("{\"name\":\"enhance_magic\",\"input\":{\"image\":\"cloud://demo/photo-3mp-flower.jpg\",\"ai\":9}}", 400)]
    [InlineData("{\"name\":\"enhance_magic\",\"input\":{\"image\":\"cloud://demo/photo-3mp-flower.jpg\",\"strength\":1}}", 400)]
    [InlineData("{\"name\":\"enhance_magic\",\"input\":{\"ci\":1}}", 400)]
    [InlineData("{\"name\":\"enhance_magic\",\"input\":{\"image\":\"ftp://example.com/a.jpg\"}}", 400)]
    [InlineData("{\"name\":\"erase_bg\",\"input\":{\"image\":\"cloud://demo/photo-3mp-flower.jpg\"}}", 404)]
    [InlineData("{\"name\":\"smart_crop\",\"input\":{\"image\":\"cloud://demo/photo-3mp-flower.jpg\",\"w\":10,\"h\":10,\"p\":\"center\"}}", 400)]
    [InlineData("{\"name\":\"smart_crop\",\"input\":{\"image\":\"cloud://demo/photo-3mp-flower.jpg\",\"w\":10}}", 400)]
    [InlineData("{\"name\":\"render_pattern\",\"input\":{\"image\":\"cloud://demo/photo-3mp-flower.jpg\",\"pattern\":\"t.spin()\"}}", 400)]
    [InlineData("{\"name\":\"render_pattern\",\"input\":{\"image\":\"cloud://demo/photo-3mp-flower.jpg\",\"pattern\":\"t.grey()/../secret\"}}", 400)]
    [InlineData("{\"name\":\"enhance_magic\",\"input\":{\"image\":\"cloud://demo/photo-3mp-flower.jpg\",\"format\":\"psd\"}}", 400)]
    [InlineData("{\"name\":\"enhance_magic\",\"input\":{\"image\":\"cloud://demo/photo-3mp-flower.jpg\"},\"extra\":1}", 400)]
    [InlineData("{\"name\":\"image_info\",\"input\":{\"image\":\"cloud://demo/photo-3mp-flower.jpg\",\"format\":\"png\"}}", 400)]
    [InlineData("{\"name\":\"image_info\",\"input\":{\"image\":\"cloud://demo/photo-3mp-flower.jpg\",\"gps\":2}}", 400)]
    [InlineData("{\"name\":\"enhance_magic\",\"input\":{\"image\":\"data:text/plain;base64,aGVsbG8gd29ybGQK\"}}", 415)]
    [InlineData("{\"name\":\"enhance_magic\",\"input\":{\"image\":\"data:image/png;base64,!!notbase64\"}}", 400)]
    [InlineData("{\"name\":\"enhance_magic\",\"input\":{\"image\":\"data:image/png;base64,\"}}", 415)]
    public async Task InvalidInput_IsRefused_BeforeAJobIsStored(string body, int status)
    {
        var (response, json) = await Client.ApiAsync(HttpMethod.Post, "/api/v1/predictions", new StringContent(body, Encoding.UTF8, "application/json"));
        var store = Client.Factory.Services.GetRequiredService<IJobStore>();
        var owner = UploadRateLimiter.Partition(UploadTestClient.ApiKey, new DefaultHttpContext());
        var stored = await store.ListAsync(new JobQuery(owner, ["predictions"], null, true, 100), CancellationToken.None);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.NotNull(json);
        Assert.Empty(stored);
    }

    [Fact]
    public async Task ADataUri_IsStoredWhenCreated_TheJobsRowKeepsOnlyWhereItIs()
    {
        var created = await Predictions.CreateAsync("render_pattern", new JsonObject { ["image"] = Predictions.DataUri(Tulips, "image/png"), ["pattern"] = "t.resize(w:40)" });
        var jobId = created.Id[(created.Id.LastIndexOf("--", StringComparison.Ordinal) + 2)..];
        var row = await Client.Factory.Services.GetRequiredService<IJobStore>().GetAsync(jobId, CancellationToken.None);
        var done = await Predictions.WaitAsync(created.Id, Quick);

        // The base64 was parsed by every poll, list and webhook when it stayed in the row.
        Assert.True(row!.Request.Length < 1000, row.Request.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("data:image/png;base64,\u2026", (string?)created.Input["image"]);
        Assert.Equal(Prediction.Success, done.Status);
        Assert.EndsWith($"/v2/uploads/original/jobs/{jobId}/inputs/image.png", (string?)done.Input["image"], StringComparison.Ordinal);
        using var input = await Client.GetImageAsync((string)done.Input["image"]!);
        Assert.Equal((HttpStatusCode.OK, "image/png"), (input.StatusCode, input.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task CorruptImage_Fails_WithAPublicMessage()
    {
        var truncated = TestImages.Read(TestImages.Flower)[..4096];

        var done = await Predictions.CreateAndWaitAsync("enhance_magic", new JsonObject { ["image"] = Predictions.DataUri(truncated, "image/jpeg") }, options: Quick);

        Assert.Equal(Prediction.Failure, done.Status);
        Assert.Empty(done.Output);
        Assert.False(string.IsNullOrWhiteSpace(done.Error));
        Assert.DoesNotContain("vips", done.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", done.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAKey_401_AndAnotherKeysPrediction_404()
    {
        var created = await Predictions.CreateAsync("render_pattern", new JsonObject { ["image"] = "cloud://demo/photo-3mp-flower.jpg", ["pattern"] = "t.resize(w:40)" });
        using var anonymous = await Client.Http.PostAsync("/api/v1/predictions", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var anonymousGet = await Client.Http.GetAsync("/api/v1/predictions/" + created.Id);
        var other = new Predictions(Client.Http, new Uri("http://localhost/"), OtherKey);
        var notFound = await Assert.ThrowsAsync<PredictionException>(() => other.GetAsync(created.Id));
        var wrongPrefix = await Assert.ThrowsAsync<PredictionException>(() => Predictions.GetAsync(created.Id.Replace("render--pattern", "enhance--magic", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousGet.StatusCode);
        Assert.StartsWith("application/json", anonymous.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal((404, 404), (notFound.Status, wrongPrefix.Status));
        Assert.Equal(Prediction.Success, (await Predictions.WaitAsync(created.Id, Quick)).Status);
    }

    private static (int Width, int Height) PngSize(byte[] png) =>
        ((png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19], (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23]);

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
