using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Server.Tests.Uploads;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// The 6px face on the whole server: inputs fetched over real HTTP and from a data URI, outputs rendered by the
/// pipeline into s3rver (s3://), a named destination and the jobs cloud, the callback delivered once and signed.
/// </summary>
public sealed class SixPxJobTests(S3rverFixture s3) : IClassFixture<S3rverFixture>, IAsyncLifetime
{
    internal const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private JobFaceServer? _server;

    private UploadTestClient Client => _server!.Client;

    private CallbackReceiver Receiver => _server!.Receiver;

    private LoopbackHttpOrigin Web => Receiver.Server;

    public async Task InitializeAsync() => _server = await JobFaceServer.StartAsync(
        JobFaceServer.Settings(
            ("CdnProxy:Jobs:S3ServiceUrl", s3.ServiceUrl),
            ("CdnProxy:Jobs:Destinations:archive", "cloud://uploads/archive"),
            ("CdnProxy:Clouds:portraits:Origin:Type", "local"),
            ("CdnProxy:Clouds:portraits:Origin:Root", Path.Combine(TestImages.AssetsFolder, "faces"))),
        JobFaceServer.ServesFlower);

    public async Task DisposeAsync() => await (_server?.DisposeAsync() ?? ValueTask.CompletedTask);

    [Fact]
    public async Task TwoInputsThreeOutputs_Complete_CallbackOnceSigned_ProcessedFigures_AndSearch()
    {
        var tulips = Convert.ToBase64String(TestImages.Read(TestImages.Sample("alpha-500-tulips.png")));
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["flower"] = new Uri(Web.BaseUrl, "flower.jpg").AbsoluteUri, ["tulips"] = "data:image/png;base64," + tulips },
            ["output"] = new JsonArray(
                new JsonObject
                {
                    ["methods"] = new JsonArray(new JsonObject { ["method"] = "resize", ["options"] = new JsonObject { ["width"] = 200 } }),
                    ["type"] = "image/png",
                    ["ref"] = new JsonObject { ["flower"] = "small" },
                    ["url"] = $"s3://{S3rverFixture.AccessKey}:{S3rverFixture.SecretKey}@{S3rverFixture.Bucket}/jobs-out",
                },
                new JsonObject
                {
                    ["methods"] = new JsonArray(
                        new JsonObject { ["method"] = "crop", ["options"] = new JsonObject { ["x"] = 10, ["y"] = 20, ["width"] = 100, ["height"] = 50 } },
                        new JsonObject { ["method"] = "rotate", ["options"] = new JsonObject { ["degrees"] = 90 } }),
                    ["type"] = "image/jpeg",
                    ["ref"] = new JsonObject { ["tulips"] = "cropped" },
                    ["url"] = "archive",
                },
                new JsonObject
                {
                    ["pattern"] = "t.resize(w:64,h:64)~t.grey()",
                    ["type"] = "image/webp",
                    ["ref"] = new JsonObject { ["flower"] = false },
                }),
            ["data"] = new JsonObject { ["id"] = "1234", ["email"] = "foo@example.com" },
            ["callback"] = new JsonObject { ["url"] = new Uri(Web.BaseUrl, "hook").AbsoluteUri },
        };

        var (created, createdJson) = await Client.ApiAsync(HttpMethod.Post, "/api/v1/jobs", Json(body));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = (string)createdJson!["id"]!;
        var job = await _server!.WaitForJobAsync(id);

        Assert.Equal("complete", (string?)job["status"]);
        var processed = job["processed"]!;
        Assert.All(new[] { "start", "end", "total", "download", "upload" }, field => Assert.NotNull(processed["duration"]![field]));
        Assert.All(new[] { "start", "end" }, field => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string?)processed["duration"]![field])); // as created/modified
        var small = processed["output"]!["small"]!;
        Assert.Equal((200, 133), ((int)small["info"]!["width"]!, (int)small["info"]!["height"]!));
        Assert.Equal("s3://originals/jobs-out/small.png", (string?)small["url"]);
        var cropped = processed["output"]!["cropped"]!["info"]!;
        Assert.Equal((50, 100), ((int)cropped["width"]!, (int)cropped["height"]!));
        Assert.Equal(
            (long)small["info"]!["bytes"]! + (long)cropped["bytes"]! + (long)processed["output"]!["flower-3"]!["info"]!["bytes"]!,
            (long)processed["bytes"]!);
        Assert.Equal($"s3://{S3rverFixture.AccessKey}:***@originals/jobs-out", (string?)job["output"]![0]!["url"]);

        using var s3Client = new AmazonS3Client(new BasicAWSCredentials(S3rverFixture.AccessKey, S3rverFixture.SecretKey),
            new AmazonS3Config { ServiceURL = s3.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        using var stored = await s3Client.GetObjectAsync(S3rverFixture.Bucket, "jobs-out/small.png");
        Assert.Equal("image/png", stored.Headers.ContentType);
        using var archived = await Client.GetImageAsync((string)processed["output"]!["cropped"]!["url"]!);
        Assert.Equal((HttpStatusCode.OK, "image/jpeg"), (archived.StatusCode, archived.Content.Headers.ContentType?.MediaType));
        Assert.Contains("/v2/uploads/original/archive/cropped.", (string?)processed["output"]!["cropped"]!["url"], StringComparison.Ordinal);
        using var served = await Client.GetImageAsync((string)processed["output"]!["flower-3"]!["url"]!);
        Assert.Equal((HttpStatusCode.OK, "image/webp"), (served.StatusCode, served.Content.Headers.ContentType?.MediaType));

        // The callback: once, signed, the whole job.
        var callback = JsonNode.Parse(await Receiver.SingleSignedAsync(Secret))!;
        Assert.Equal((id, "complete"), ((string?)callback["_id"], (string?)callback["status"]));

        var (_, byData) = await ListAsync("/api/v1/jobs?data.id=1234");
        var (_, byStatus) = await ListAsync("/api/v1/jobs?status=complete&sort_by=created,desc");
        var (_, none) = await ListAsync("/api/v1/jobs?data.id={ne}1234");
        var (_, bigger) = await ListAsync("/api/v1/jobs?processed.bytes={gt}1000&created={gte}2020-01-01");
        Assert.Equal(id, (string?)Assert.Single(byData)!["_id"]);
        Assert.Equal(id, (string?)byStatus[0]!["_id"]);
        Assert.Empty(none);
        Assert.Single(bigger);
    }

    [Fact]
    public async Task IdempotencyKey_ReplayAnswersTheFirstJob_AnotherBodyIs422()
    {
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["a"] = "cloud://demo/photo-3mp-flower.jpg" },
            ["output"] = new JsonArray(new JsonObject { ["methods"] = new JsonArray(new JsonObject { ["method"] = "resize", ["options"] = new JsonObject { ["width"] = 50 } }) }),
        };
        var first = await SendAsync(body, "retry-1");
        var replay = await SendAsync(body, "retry-1");
        body["data"] = new JsonObject { ["x"] = 1 };
        var other = await SendAsync(body, "retry-1");

        Assert.Equal(HttpStatusCode.OK, first.Response.StatusCode);
        Assert.Equal((string?)first.Json!["id"], (string?)replay.Json!["id"]);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "idempotency_key_reused"), (other.Response.StatusCode, (string?)other.Json!["error"]?["code"] ?? (string?)other.Json["code"]));
        Assert.Equal("complete", (string?)(await _server!.WaitForJobAsync((string)first.Json["id"]!))["status"]);
    }

    [Fact]
    public async Task CropToTheFaceThenFilters_GivesTheSameBytesAsTheEquivalentUrl()
    {
        var body = JsonNode.Parse("""
            {"input": {"portrait": "cloud://portraits/astronaut.png"},
             "output": [{"methods": [
                 {"method": "crop", "options": {"face": true, "padding": 20}},
                 {"method": "filter", "options": {"sepia": 70, "brightness": 10, "channels": {"red": 5}}}],
               "type": "image/png"}]}
            """)!.AsObject();
        var (created, json) = await SendAsync(body, null);
        Assert.True(created.IsSuccessStatusCode, json?.ToJsonString());
        var job = await _server!.WaitForJobAsync((string)json!["id"]!);
        Assert.True((string?)job["status"] == "complete", job.ToJsonString());
        var output = job["processed"]!["output"]!.AsObject().Single().Value!;
        var jobBytes = await Client.Http.GetByteArrayAsync(new Uri((string)output["url"]!).PathAndQuery);
        var urlBytes = await Client.Http.GetByteArrayAsync(
            "/v2/portraits/filter.crop(face:true,pad:20)~filter.sepia(a:70)~filter.brightness(a:10)~filter.channels(r:5)~t.toFormat(f:png)/astronaut.png");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("complete", (string?)job["status"]);
        Assert.Equal(urlBytes, jobBytes);
        // The face was found: the crop is about a face plus the padding (detectors draw their own box proportions),
        // not the whole 512 × 512 portrait.
        var face = Faces.FaceLabels.LabelsOf("astronaut.png").Single();
        Assert.InRange((int)output["info"]!["width"]!, face.Width / 2, face.Width * 2);
        Assert.InRange((int)output["info"]!["height"]!, face.Height / 2, face.Height * 2);
    }

    [Fact]
    public async Task Analyze_AnswersExifColoursAndFaces_FromTheInfoCode_AloneOrBesideAnImage()
    {
        var body = JsonNode.Parse("""
            {"input": {"portrait": "cloud://portraits/astronaut.png"},
             "output": [
               {"methods": [{"method": "analyze", "options": {"exif": true, "color": true, "context": "palette", "faces": true}}],
                "ref": {"portrait": "facts"}},
               {"methods": [{"method": "resize", "options": {"width": 64}}, {"method": "analyze", "options": {"color": true, "context": "dominant"}}],
                "type": "image/png", "ref": {"portrait": "small"}}]}
            """)!.AsObject();
        var (created, json) = await SendAsync(body, null);
        Assert.True(created.IsSuccessStatusCode, json?.ToJsonString());
        var job = await _server!.WaitForJobAsync((string)json!["id"]!);
        Assert.True((string?)job["status"] == "complete", job.ToJsonString());
        var (_, info) = await Client.ApiAsync(HttpMethod.Get, "/api/v1/info/portraits/astronaut.png?faces=true");

        var facts = job["processed"]!["output"]!["facts"]!;
        Assert.Null(facts["url"]); // an analysis alone makes no file
        Assert.NotNull(facts["analyze"]!["exif"]);
        Assert.True(JsonNode.DeepEquals(info!["palette"], facts["analyze"]!["color"]!["palette"]));
        Assert.Equal((string?)info["dominantColor"], (string?)facts["analyze"]!["color"]!["dominant"]);
        Assert.Single(facts["analyze"]!["faces"]!.AsArray());
        var small = job["processed"]!["output"]!["small"]!;
        Assert.Equal(64, (int)small["info"]!["width"]!);
        Assert.Equal((string?)info["dominantColor"], (string?)small["analyze"]!["color"]!["dominant"]);
        Assert.Null(small["analyze"]!["color"]!["palette"]);
        Assert.Null(small["analyze"]!["exif"]);
    }

    [Theory]
    [InlineData("{\"method\":\"layer\",\"options\":{\"ref\":\"a\"}}", 422)]
    [InlineData("{\"method\":\"analyze\",\"options\":{\"histogram\":true}}", 400)]
    [InlineData("{\"method\":\"filter\",\"options\":{\"curves\":70}}", 422)]
    [InlineData("{\"method\":\"filter\",\"options\":{\"sepia\":170}}", 400)]
    [InlineData("{\"method\":\"crop\",\"options\":{\"x\":10}}", 400)]
    [InlineData("{\"method\":\"filter\",\"options\":{\"colorize\":5}}", 400)]
    [InlineData("{\"method\":\"analyze\",\"options\":{\"context\":1}}", 400)]
    [InlineData("{\"method\":7}", 400)]
    [InlineData("{\"method\":\"spin\"}", 400)]
    [InlineData("{\"method\":\"resize\",\"options\":{\"width\":-5}}", 400)]
    public async Task MethodsTheCatalogueCannotDo_AreRefusedBeforeTheJobIsStored(string method, int status)
    {
        var body = JsonNode.Parse($"{{\"input\":{{\"a\":\"cloud://demo/photo-3mp-flower.jpg\"}},\"output\":[{{\"methods\":[{method}]}}]}}")!.AsObject();
        var (response, _) = await SendAsync(body, null);
        var (_, list) = await ListAsync("/api/v1/jobs");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(list);
    }

    [Fact]
    public async Task List_Pages_NewestFirst_WithTheTotal_ThePagedAndTheSearchedPathAlike()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var body = JsonNode.Parse($"{{\"input\":{{\"a\":\"cloud://demo/photo-3mp-flower.jpg\"}},\"output\":[{{\"pattern\":\"t.resize(w:{20 + i})\"}}],\"data\":{{\"n\":{i}}}}}")!.AsObject();
            var (created, json) = await SendAsync(body, null);
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            ids.Add((string)json!["id"]!);
        }

        // No field condition: the store pages. A condition every job meets: the window is searched in memory.
        var (paged, second) = await ListAsync("/api/v1/jobs?page=2&per_page=2");
        var (searched, secondSearched) = await ListAsync("/api/v1/jobs?page=2&per_page=2&data.n={gte}0");
        var (_, last) = await ListAsync("/api/v1/jobs?page=3&per_page=2");
        var (_, beyond) = await ListAsync("/api/v1/jobs?page=4&per_page=2");
        var (_, oldestFirst) = await ListAsync("/api/v1/jobs?page=1&per_page=2&sort_by=created,asc");

        var (_, all) = await ListAsync("/api/v1/jobs?per_page=100");
        // Newest first; jobs created in one millisecond are ordered by id, so the order is the listing's, not the loop's.
        string?[] newest = [.. all.Select(job => (string?)job!["_id"])];
        Assert.Equal(ids.Order(StringComparer.Ordinal), newest.Order(StringComparer.Ordinal));
        Assert.Equal(newest[2..4], second.Select(job => (string?)job!["_id"]));
        Assert.Equal(newest[2..4], secondSearched.Select(job => (string?)job!["_id"]));
        Assert.Equal(("5", "5"), (paged.Headers.GetValues("X-Total-Count").Single(), searched.Headers.GetValues("X-Total-Count").Single()));
        Assert.Equal(newest[4..], last.Select(job => (string?)job!["_id"]));
        Assert.Empty(beyond);
        Assert.Equal([newest[4], newest[3]], oldestFirst.Select(job => (string?)job!["_id"]));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("...")]
    [InlineData(".x")]
    public async Task AnOutputNameTheUploadPathRefuses_Is400_BeforeTheJobIsStored(string name)
    {
        // Accepted, these failed the job when it ran: "name must be a plain file name".
        var body = JsonNode.Parse($"{{\"input\":{{\"a\":\"cloud://demo/photo-3mp-flower.jpg\"}},\"output\":[{{\"ref\":{{\"a\":\"{name}\"}}}}]}}")!.AsObject();
        var (response, _) = await SendAsync(body, null);
        var (_, list) = await ListAsync("/api/v1/jobs");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(list);
    }

    [Fact]
    public async Task InputsOnPrivateAddresses_AreRefusedWhenTheJobIsMade_UnlessAllowed()
    {
        using var strict = new UploadTestClient(new Dictionary<string, string?> { ["CdnProxy:Jobs:PollMilliseconds"] = "100" });
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["a"] = new Uri(Web.BaseUrl, "flower.jpg").AbsoluteUri },
            ["output"] = new JsonArray(new JsonObject { ["pattern"] = "t.resize(w:10)" }),
        };

        var (created, json) = await strict.ApiAsync(HttpMethod.Post, "/api/v1/jobs", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Equal("invalid_argument", (string?)json!["error"]!["code"]);
        Assert.Equal(0, Web.Requests);
    }

    [Fact]
    public async Task ADataUriInput_IsStoredWhenTheJobIsCreated_AndTheJobKeepsOnlyWhereItIs()
    {
        var tulips = Convert.ToBase64String(TestImages.Read(TestImages.Sample("alpha-500-tulips.png")));
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["tulips"] = "data:image/png;base64," + tulips },
            ["output"] = new JsonArray(new JsonObject { ["pattern"] = "t.resize(w:50)", ["type"] = "image/png" }),
        };

        var (created, json) = await SendAsync(body, null);
        var id = (string)json!["id"]!;
        var (_, asCreated) = await Client.ApiAsync(HttpMethod.Get, "/api/v1/jobs/" + id);
        var job = await _server!.WaitForJobAsync(id);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal($"cloud://uploads/jobs/{id}/inputs/tulips.png", (string?)asCreated!["input"]!["tulips"]);
        Assert.Equal("complete", (string?)job["status"]);
        Assert.Equal(50, (int)job["processed"]!["output"]!["tulips-1"]!["info"]!["width"]!);
    }

    [Fact]
    public async Task ADataUriThatIsNotAnImage_IsRefusedWhenTheJobIsCreated_AndNothingIsStored()
    {
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["a"] = "cloud://demo/photo-3mp-flower.jpg", ["b"] = "data:image/png;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes("not an image")) },
            ["output"] = new JsonArray(new JsonObject { ["pattern"] = "t.resize(w:50)" }),
        };

        var (response, _) = await SendAsync(body, null);
        var (_, list) = await ListAsync("/api/v1/jobs");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(list);
        Assert.False(Directory.Exists(Path.Combine(Client.UploadsFolder, "jobs")) && Directory.EnumerateFiles(Path.Combine(Client.UploadsFolder, "jobs"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task ADataUriThatIsNotBase64_Is400_NotTooLarge()
    {
        var body = JsonNode.Parse("""{"input": {"a": "data:image/png,abc"}, "output": [{}]}""")!.AsObject();

        var (response, json) = await SendAsync(body, null);

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_argument"), (response.StatusCode, (string?)json!["error"]!["code"]));
    }

    [Fact]
    public async Task DataOfMoreThan64KiB_Is422_BeforeTheJobIsStored()
    {
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["a"] = "cloud://demo/photo-3mp-flower.jpg" },
            ["output"] = new JsonArray(new JsonObject { ["pattern"] = "t.resize(w:50)" }),
            ["data"] = new JsonObject { ["note"] = new string('x', 64 * 1024) },
        };

        var (response, json) = await SendAsync(body, null);
        var (_, list) = await ListAsync("/api/v1/jobs");

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "limit_exceeded"), (response.StatusCode, (string?)json!["error"]!["code"]));
        Assert.Empty(list);
    }

    [Fact]
    public async Task ARequestOfMoreThan256KiB_ApartFromItsDataUris_Is422_BeforeTheJobIsStored()
    {
        var empty = Enumerable.Range(0, 30_000).Select(_ => (JsonNode)new JsonObject { ["ref"] = new JsonObject() });
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["a"] = "cloud://demo/photo-3mp-flower.jpg" },
            ["output"] = new JsonArray([new JsonObject { ["pattern"] = "t.resize(w:50)" }, .. empty]),
        };

        var (response, json) = await SendAsync(body, null);
        var (_, list) = await ListAsync("/api/v1/jobs");

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "limit_exceeded"), (response.StatusCode, (string?)json!["error"]!["code"]));
        Assert.Empty(list);
    }

    [Fact]
    public async Task WithoutAKey_401_AndAnotherKeysJobIsNotFound()
    {
        using var anonymous = await Client.Http.PostAsync("/api/v1/jobs", new StringContent("{}", Encoding.UTF8, "application/json"));
        var (missing, _) = await Client.ApiAsync(HttpMethod.Get, "/api/v1/jobs/0193a0b0c0d0e0f00000000000000000");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task<(HttpResponseMessage Response, JsonObject? Json)> SendAsync(JsonObject body, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = Json(body) };
        request.Headers.Add("x-api-key", UploadTestClient.ApiKey);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await Client.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, JsonNode.Parse(text) as JsonObject);
    }

    private async Task<(HttpResponseMessage Response, JsonArray List)> ListAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-api-key", UploadTestClient.ApiKey);
        var response = await Client.Http.SendAsync(request);
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonArray ?? []);
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
