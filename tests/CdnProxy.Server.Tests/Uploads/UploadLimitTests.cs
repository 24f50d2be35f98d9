using System.Net;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Uploads;

/// <summary>Every upload is bounded: bytes counted while streaming, pixels read from the header, calls per key per minute.</summary>
public sealed class UploadLimitTests
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    [Fact]
    public async Task OverMaxBytes_Is413_AndTheStagedBytesAreRemoved()
    {
        using var client = new UploadTestClient(new() { ["CdnProxy:Uploads:MaxBytes"] = "200000" });

        var (response, json) = await client.UploadAsync(UploadTestClient.Form(Flower, fields: ("name", "big")));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("upload_too_large", (string?)json!["error"]!["code"]);
        Assert.Empty(Directory.EnumerateFiles(client.UploadsFolder, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("/api/v1/upload")]
    [InlineData("/store")]
    public async Task OverMaxBytes_WithAContentLength_Is413_OnKestrel(string path)
    {
        // Kestrel itself refuses a declared length over the cap at the first read of the body; it was reported as
        // a malformed body (400). The test host has no such cap, so this runs the real server.
        var data = Directory.CreateTempSubdirectory("cdnproxy-limits-").FullName;
        try
        {
            using var server = await ServerProcess.StartAsync(new()
            {
                ["CdnProxy:DataDirectory"] = data,
                ["CdnProxy:Api:Keys:0"] = UploadTestClient.ApiKey,
                ["CdnProxy:Uploads:MaxBytes"] = "200000",
            });
            using var client = server.ClientWithKey(UploadTestClient.ApiKey);
            // Past the cap Kestrel is given (MaxBytes plus 1 MiB for the form's fields), so Kestrel, not our count, refuses it.
            using var form = UploadTestClient.Form(new byte[3_000_000], fields: ("name", "big"));
            await form.LoadIntoBufferAsync();
            Assert.NotNull(form.Headers.ContentLength);

            using var response = await client.PostAsync(new Uri(path, UriKind.Relative), form);

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {body}");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task ALyingContentLength_DoesNotHelp()
    {
        using var client = new UploadTestClient(new() { ["CdnProxy:Uploads:MaxBytes"] = "200000" });
        var form = UploadTestClient.Form(Flower, fields: ("name", "liar"));
        await form.LoadIntoBufferAsync();

        // The file part declares a small length; only the bytes read count.
        form.Last().Headers.ContentLength = 1000;
        var (response, _) = await client.UploadAsync(form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task OverMaxPixels_Is422_FromTheHeaderAlone()
    {
        using var client = new UploadTestClient(new() { ["CdnProxy:Uploads:MaxPixels"] = "1000000" });

        var (response, json) = await client.UploadAsync(UploadTestClient.Form(Flower, fields: ("name", "wide")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("limit_exceeded", (string?)json!["error"]!["code"]);
        Assert.Empty(Directory.EnumerateFiles(client.UploadsFolder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task OverTheRatePerKey_Is429_WithRetryAfter()
    {
        using var client = new UploadTestClient(new() { ["CdnProxy:Uploads:RequestsPerMinute"] = "2" });
        var png = GeneratedImages.Png(4, 4);

        var first = await client.UploadAsync(UploadTestClient.Form(png, "a.png", ("name", "r1")));
        var second = await client.UploadAsync(UploadTestClient.Form(png, "a.png", ("name", "r2")));
        var third = await client.UploadAsync(UploadTestClient.Form(png, "a.png", ("name", "r3")));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.Response.StatusCode, second.Response.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Response.StatusCode);
        Assert.True(third.Response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task WithoutApiKeysConfigured_TheUploadApiDoesNotExist()
    {
        using var factory = new CdnProxyFactory();
        using var http = factory.CreateClient();

        using var response = await http.PostAsync("/api/v1/upload", UploadTestClient.Form(Flower));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
