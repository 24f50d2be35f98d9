using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Server.Tests.Uploads;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// Pixble's <c>/media/get</c> on a server that accepts SVG uploads: a file a browser would run is sent sandboxed and
/// as an attachment, as every other stored file is, so a job's input cannot script our domain.
/// </summary>
public sealed class PixbleActiveContentTests : IAsyncLifetime
{
    private const string Svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"48\"><script>fetch('/api/v1/jobs')</script>"
        + "<rect width=\"64\" height=\"48\" fill=\"red\"/></svg>";

    private JobFaceServer? _server;

    private UploadTestClient Client => _server!.Client;

    public async Task InitializeAsync() => _server = await JobFaceServer.StartAsync(JobFaceServer.Settings(
        [.. new[] { "jpeg", "png", "webp", "gif", "avif", "heic", "tiff", "svg" }.Select((format, i) => ($"CdnProxy:Uploads:AllowedFormats:{i}", (string?)format))]));

    public async Task DisposeAsync() => await (_server?.DisposeAsync() ?? ValueTask.CompletedTask);

    /// <summary>
    /// An SVG sent as a job's image was served back by <c>/media/get</c> as <c>image/svg+xml</c> with no CSP and inline:
    /// a link to it (the attacker's own key in its query) ran the SVG's script on the CDN's origin.
    /// </summary>
    [Fact]
    public async Task AnSvgInput_IsServedSandboxedAsAnAttachment_AndItsPreviewIsRasterised()
    {
        var body = new JsonObject { ["task"] = 9, ["key"] = UploadTestClient.ApiKey, ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Svg)) };
        using var created = await Client.Http.PostAsync("/job/new", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var answer = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var jobId = ((string)answer["result"]!["job_id"]!)["jb_".Length..];

        using var media = await Client.Http.GetAsync($"/media/get/fi_{jobId}_input?key={UploadTestClient.ApiKey}");
        using var preview = await Client.Http.GetAsync($"/media/preview/fi_{jobId}_input?key={UploadTestClient.ApiKey}");

        Assert.Equal(HttpStatusCode.OK, media.StatusCode);
        Assert.Equal("image/svg+xml", media.Content.Headers.ContentType?.MediaType);
        Assert.Equal("sandbox; default-src 'none'", string.Join(",", media.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("attachment", media.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", string.Join(",", media.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal((HttpStatusCode.OK, "image/png"), (preview.StatusCode, preview.Content.Headers.ContentType?.MediaType));
        Assert.Null(preview.Content.Headers.ContentDisposition); // an image that cannot run stays inline
    }
}
