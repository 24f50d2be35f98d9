using System.Diagnostics;
using System.Net;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>Whole requests through the server with S3 and HTTP origins configured the way an operator would.</summary>
public sealed class OriginEndToEndTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    [Fact]
    public async Task S3Cloud_ServesARendition_AndFallsBackToLocalForMissingKeys()
    {
        var settings = s3.Settings("CdnProxy:Clouds:bucket:Origin", prefix: "photos");
        settings["CdnProxy:Clouds:bucket:Origin:Fallback:Type"] = "local";
        settings["CdnProxy:Clouds:bucket:Origin:Fallback:Root"] = TestImages.SamplesFolder;
        using var factory = new CdnProxyFactory(settings);
        using var client = factory.CreateClient();

        using var fromS3 = await client.GetAsync("/v2/bucket/t.resize(w:100)/flower.jpg");
        using var fromFallback = await client.GetAsync("/v2/bucket/original/alpha-500-tulips.png");
        using var missing = await client.GetAsync("/v2/bucket/original/nowhere.jpg");

        using (var image = await fromS3.ReadImageAsync())
        {
            Assert.Equal(100, image.Width);
        }

        Assert.Equal(HttpStatusCode.OK, fromFallback.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task S3ZoneOrigin_OverridesTheCloudsLocalOrigin()
    {
        using var factory = new CdnProxyFactory(s3.Settings("CdnProxy:Clouds:demo:Zones:s3zone:Origin"));
        using var client = factory.CreateClient();

        using var zone = await client.GetAsync("/v2/demo/s3zone/original/photos/flower.jpg");
        using var cloud = await client.GetAsync("/v2/demo/original/photos/flower.jpg");

        using (var image = await zone.ReadImageAsync())
        {
            Assert.Equal(2268, image.Width);
        }

        Assert.Equal(HttpStatusCode.NotFound, cloud.StatusCode);
    }

    [Fact]
    public async Task HttpOriginHeaders_NeverReachTheClient()
    {
        await using var origin = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            context.Response.Headers.SetCookie = "session=origin-secret; HttpOnly";
            context.Response.Headers["X-Origin-Secret"] = "internal-token";
            context.Response.Headers.CacheControl = "private, no-cache";
            context.Response.Headers.ContentType = "text/html";
            context.Response.Headers["Access-Control-Allow-Origin"] = "https://origin.example";
            await context.Response.Body.WriteAsync(S3rverFixture.Flower);
        });
        using var factory = new CdnProxyFactory(new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:web:Origin:Type"] = "http",
            ["CdnProxy:Clouds:web:Origin:BaseUrl"] = origin.BaseUrl + "images/",
            ["CdnProxy:Clouds:web:Origin:AllowPrivateNetworks"] = "true",
        });
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/v2/web/t.resize(w:64)/flower.jpg");
        using var image = await response.ReadImageAsync();

        Assert.Equal(["/images/flower.jpg"], origin.Targets);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.False(response.Headers.Contains("X-Origin-Secret"));
        Assert.Equal(["*"], response.Headers.GetValues("Access-Control-Allow-Origin")); // our own policy's, never the origin's
        Assert.DoesNotContain("private", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task HttpOriginOnLoopback_WithoutAllowPrivateNetworks_AnswersAGeneric404_AndNeverConnects()
    {
        using var listener = new ConnectionCountingListener();
        using var factory = new CdnProxyFactory(new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:web:Origin:Type"] = "http",
            ["CdnProxy:Clouds:web:Origin:BaseUrl"] = $"http://localhost:{listener.Port}/",
        });
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/v2/web/original/a.jpg");
        var body = await response.Content.ReadAsStringAsync();

        // Checklist A1: indistinguishable from a missing original (same status, code and message).
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"not_found\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("policy", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, listener.Connections);
    }

    [Fact]
    public async Task EnvironmentVariables_OverrideTheShippedConfiguration_InTheRealProcess()
    {
        // config/cdnproxy.json makes "demo" a local origin on samples/; the variables turn it into this s3 bucket.
        using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["CdnProxy:Clouds:demo:Origin:Type"] = "s3",
            ["CdnProxy:Clouds:demo:Origin:Bucket"] = S3rverFixture.Bucket,
            ["CdnProxy:Clouds:demo:Origin:Prefix"] = "photos",
            ["CdnProxy:Clouds:demo:Origin:ServiceUrl"] = s3.ServiceUrl,
            ["CdnProxy:Clouds:demo:Origin:AccessKey"] = S3rverFixture.AccessKey,
            ["CdnProxy:Clouds:demo:Origin:SecretKey"] = S3rverFixture.SecretKey,
        });
        using var client = new HttpClient { BaseAddress = server.Address };

        using var fromS3 = await client.GetAsync("/v2/demo/original/flower.jpg");
        using var fromSamples = await client.GetAsync("/v2/demo/original/alpha-500-tulips.png");

        Assert.Equal(HttpStatusCode.OK, fromS3.StatusCode);
        using (var image = ImageProbe.Open(await fromS3.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(2268, image.Width);
        }

        Assert.Equal(HttpStatusCode.NotFound, fromSamples.StatusCode);
    }

    [Fact]
    public async Task InvalidOriginFromEnvironment_StopsTheProcessWithExitCode2_WithoutPrintingTheSecret()
    {
        const string secret = "env-secret-91c2e";
        var start = ServerStart();
        start.Environment["CdnProxy__Clouds__demo__Origin__Type"] = "s3";
        start.Environment["CdnProxy__Clouds__demo__Origin__SecretKey"] = secret;
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var all = await output + await errors;

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("CdnProxy:Clouds:demo:Origin:Bucket is required", all, StringComparison.Ordinal);
        Assert.Contains("AccessKey and SecretKey go together", all, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
    }

    private static ProcessStartInfo ServerStart() =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "CdnProxy.Server.dll"), "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
}
