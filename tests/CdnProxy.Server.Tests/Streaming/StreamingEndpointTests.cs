using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Tests.Common;
using CdnProxy.Urls.Security;
using Microsoft.AspNetCore.Http;

namespace CdnProxy.Server.Tests.Streaming;

/// <summary>
/// Files that are not rendered, sent as stored through the whole server from a local folder, s3rver and a loopback
/// HTTP origin: ranges, conditionals, private files, origin redirects and errors, the network policy.
/// </summary>
public sealed class StreamingEndpointTests(S3rverFixture s3, StoredFiles files) : IClassFixture<S3rverFixture>, IClassFixture<StoredFiles>
{
    private const string BigUrl = "/v2/files/original/" + StoredFiles.Big;

    public static TheoryData<string> Kinds => new() { "local", "s3", "http" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task RangeOfTheBigFile_Answers206_WithExactlyThoseBytes(string kind)
    {
        await using var cloud = await OpenAsync(kind);
        using var client = cloud.Factory.CreateClient();

        using var first = await GetAsync(client, BigUrl, request => request.Headers.Range = new RangeHeaderValue(0, 99));
        using var middle = await GetAsync(client, BigUrl, request => request.Headers.Range = new RangeHeaderValue(30_000_000, 30_000_049));

        Assert.Equal(HttpStatusCode.PartialContent, first.StatusCode);
        Assert.Equal(files.BigBytes[..100], await first.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 0-99/{StoredFiles.BigSize}", first.Content.Headers.ContentRange!.ToString());
        Assert.Equal(100, first.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.PartialContent, middle.StatusCode);
        Assert.Equal(files.BigBytes[30_000_000..30_000_050], await middle.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task IfRangeNamingAnotherVersion_SendsTheWholeFile_AndNamingThisOneTheRange(string kind)
    {
        await using var cloud = await OpenAsync(kind);
        using var client = cloud.Factory.CreateClient();
        using var full = await GetAsync(client, BigUrl, request => request.Method = HttpMethod.Head);

        using var otherVersion = await GetAsync(client, BigUrl, request =>
        {
            request.Headers.Range = new RangeHeaderValue(0, 99);
            request.Headers.TryAddWithoutValidation("If-Range", "\"another-version\"");
        });
        using var thisVersion = await GetAsync(client, BigUrl, request =>
        {
            request.Headers.Range = new RangeHeaderValue(0, 99);
            request.Headers.TryAddWithoutValidation("If-Range", full.Headers.ETag!.ToString());
        });

        // A resumed download of a changed file must start again, never splice the new version's bytes onto the old.
        Assert.Equal(HttpStatusCode.OK, otherVersion.StatusCode);
        Assert.Equal(StoredFiles.BigSize, otherVersion.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.PartialContent, thisVersion.StatusCode);
        Assert.Equal(files.BigBytes[..100], await thisVersion.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task FullGet_StreamsEveryByte_WithOurHeaders_AndIfNoneMatchAnswers304(string kind)
    {
        await using var cloud = await OpenAsync(kind);
        using var client = cloud.Factory.CreateClient();

        using var full = await GetAsync(client, BigUrl, request => request.Headers.Add("Cookie", "session=client-secret"));
        var body = await full.Content.ReadAsByteArrayAsync();
        var etag = full.Headers.ETag!;
        using var head = await GetAsync(client, BigUrl, request => request.Method = HttpMethod.Head);
        using var notModified = await GetAsync(client, BigUrl, request => request.Headers.IfNoneMatch.Add(etag));

        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(StoredFiles.BigSize, full.Content.Headers.ContentLength);
        Assert.Equal(SHA256.HashData(files.BigBytes), SHA256.HashData(body));
        Assert.Equal("video/mp4", full.Content.Headers.ContentType!.MediaType);
        Assert.Contains("bytes", full.Headers.AcceptRanges);
        Assert.True(full.Headers.CacheControl!.Public);
        Assert.Equal("nosniff", full.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.NotNull(full.Content.Headers.LastModified);
        Assert.Equal((HttpStatusCode.OK, (long?)StoredFiles.BigSize), (head.StatusCode, head.Content.Headers.ContentLength));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
        if (cloud.Origin is { } origin)
        {
            Assert.DoesNotContain(origin.Headers, header => header.StartsWith("Cookie", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Theory]
    [InlineData("local")]
    [InlineData("s3")]
    public async Task PrivateFile_IsRefusedWithoutASignature_AndServedPrivatelyWithOne(string kind)
    {
        await using var cloud = await OpenAsync(kind);
        using var client = cloud.Factory.CreateClient();
        var url = "/v2/files/original/" + StoredFiles.PrivatePdf;

        using var unsigned = await client.GetAsync(url);
        using var unsignedRange = await GetAsync(client, url, request => request.Headers.Range = new RangeHeaderValue(0, 3));
        using var signed = await client.GetAsync(Sign(url));
        using var open = await client.GetAsync("/v2/files/original/" + StoredFiles.PublicPdf);

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Contains("\"signature_required\"", await unsigned.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, unsignedRange.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(StoredFiles.PdfBytes, await signed.Content.ReadAsByteArrayAsync());
        Assert.True(signed.Headers.CacheControl!.Private);
        Assert.Equal(("application/pdf", HttpStatusCode.OK), (open.Content.Headers.ContentType!.MediaType, open.StatusCode));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task MissingFile_Answers404Json(string kind)
    {
        await using var cloud = await OpenAsync(kind);
        using var client = cloud.Factory.CreateClient();

        using var missing = await client.GetAsync("/v2/files/original/clips/none.mp4");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("\"not_found\"", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpOrigin_RedirectsAreFollowedWithinAllowedHosts_AndNeverReachTheClient()
    {
        await using var cloud = await OpenAsync("http");
        using var client = cloud.Factory.CreateClient();

        using var followed = await GetAsync(client, "/v2/files/original/moved.mp4", request => request.Headers.Range = new RangeHeaderValue(0, 9));
        using var offsite = await client.GetAsync("/v2/files/original/offsite.mp4");

        Assert.Equal(HttpStatusCode.PartialContent, followed.StatusCode);
        Assert.Equal(files.BigBytes[..10], await followed.Content.ReadAsByteArrayAsync());
        Assert.Null(followed.Headers.Location);
        Assert.Equal(HttpStatusCode.NotFound, offsite.StatusCode);
        Assert.Null(offsite.Headers.Location);
        Assert.DoesNotContain("elsewhere", await offsite.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Range: bytes=0-9", cloud.Origin!.Headers);
    }

    [Fact]
    public async Task HttpOriginErrors_BecomeOurJsonErrors_WithoutTheOriginsBody()
    {
        await using var cloud = await OpenAsync("http");
        using var client = cloud.Factory.CreateClient();

        using var failed = await client.GetAsync("/v2/files/original/broken.mp4");
        var body = await failed.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Contains("\"origin_failed\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("stack", body, StringComparison.Ordinal);
        Assert.Equal("application/json", failed.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task HttpOriginOnLoopback_WithoutAllowPrivateNetworks_IsRefusedForStreamingToo()
    {
        using var listener = new ConnectionCountingListener();
        using var factory = new CdnProxyFactory(new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:web:Origin:Type"] = "http",
            ["CdnProxy:Clouds:web:Origin:BaseUrl"] = $"http://localhost:{listener.Port}/",
        });
        using var client = factory.CreateClient();

        using var response = await GetAsync(client, "/v2/web/original/clip.mp4", request => request.Headers.Range = new RangeHeaderValue(0, 99));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"not_found\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, listener.Connections);
    }

    [Fact]
    public async Task ImageOriginalOverMaxBytes_IsSentAsStored_WhileRenderingItStill422s()
    {
        using var factory = new CdnProxyFactory(new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:small:Origin:Type"] = "local",
            ["CdnProxy:Clouds:small:Origin:Root"] = TestImages.SamplesFolder,
            ["CdnProxy:Clouds:small:Origin:MaxBytes"] = "100000",
        });
        using var client = factory.CreateClient();

        using var original = await client.GetAsync("/v2/small/original/photo-3mp-flower.jpg");
        using var resized = await client.GetAsync("/v2/small/t.resize(w:100)/photo-3mp-flower.jpg");
        using var rendered = await client.GetAsync("/v2/demo/original/photo-3mp-flower.jpg");

        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal(File.ReadAllBytes(TestImages.Flower), await original.Content.ReadAsByteArrayAsync());
        Assert.Contains("bytes", original.Headers.AcceptRanges);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, resized.StatusCode);
        Assert.Empty(rendered.Headers.AcceptRanges);
    }

    [Fact]
    public async Task ActiveContent_IsSandboxedAndDownloaded()
    {
        await using var cloud = await OpenAsync("local");
        using var client = cloud.Factory.CreateClient();

        using var page = await client.GetAsync("/v2/files/original/" + StoredFiles.Page);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("sandbox", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("attachment", page.Content.Headers.ContentDisposition!.DispositionType);
    }

    [Fact]
    public async Task RangeOnARenderedImage_IsIgnored_OneRepresentationPerUrl()
    {
        using var factory = new CdnProxyFactory();
        using var client = factory.CreateClient();

        using var plain = await client.GetAsync("/v2/demo/original/photo-3mp-flower.jpg");
        using var ranged = await GetAsync(client, "/v2/demo/original/photo-3mp-flower.jpg", request => request.Headers.Range = new RangeHeaderValue(0, 99));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (plain.StatusCode, ranged.StatusCode));
        Assert.Equal(plain.Headers.ETag, ranged.Headers.ETag);
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(), await ranged.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task StoredFile_RangePastTheEnd_Is416WithTheSize_EmptyAndNotCached_AndAnUnknownRangeUnitIsIgnored(string kind)
    {
        await using var cloud = await OpenAsync(kind);
        using var client = cloud.Factory.CreateClient();

        using var pastTheEnd = await GetAsync(client, BigUrl, request => request.Headers.TryAddWithoutValidation("Range", "bytes=999999999-"));
        using var items = await GetAsync(client, BigUrl, request => request.Headers.TryAddWithoutValidation("Range", "items=0-5"));

        // RFC 9110 §15.5.17: the 416 says how long the file is, so the client can ask again.
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, pastTheEnd.StatusCode);
        Assert.Equal($"bytes */{StoredFiles.BigSize}", pastTheEnd.Content.Headers.ContentRange?.ToString());
        await AssertEmptyErrorAsync(pastTheEnd);
        Assert.Equal(HttpStatusCode.OK, items.StatusCode);
        Assert.Equal(StoredFiles.BigSize, items.Content.Headers.ContentLength);
    }

    // s3 too: s3rver ignores If-Match and If-Unmodified-Since on a GET, so the store answers them from its HEAD.
    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task StoredFile_FailedPrecondition_Is412_EmptyAndNotCached(string kind)
    {
        await using var cloud = await OpenAsync(kind);
        using var client = cloud.Factory.CreateClient();

        using var otherVersion = await GetAsync(client, BigUrl, request => request.Headers.TryAddWithoutValidation("If-Match", "\"another-version\""));
        using var changedSince = await GetAsync(client, BigUrl, request => request.Headers.TryAddWithoutValidation("If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"));

        Assert.Equal((HttpStatusCode.PreconditionFailed, HttpStatusCode.PreconditionFailed), (otherVersion.StatusCode, changedSince.StatusCode));
        await AssertEmptyErrorAsync(otherVersion);
        await AssertEmptyErrorAsync(changedSince);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task StoredFile_PreconditionsThatHold_ServeTheFile(string kind)
    {
        await using var cloud = await OpenAsync(kind);
        using var client = cloud.Factory.CreateClient();
        using var plain = await GetAsync(client, BigUrl, _ => { });
        var etag = plain.Headers.ETag!.ToString();

        using var sameVersion = await GetAsync(client, BigUrl, request => request.Headers.TryAddWithoutValidation("If-Match", $"\"another-version\", {etag}"));
        using var anyVersion = await GetAsync(client, BigUrl, request => request.Headers.TryAddWithoutValidation("If-Match", "*"));
        using var unchangedSince = await GetAsync(client, BigUrl, request => request.Headers.TryAddWithoutValidation("If-Unmodified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"));

        Assert.Equal(
            (HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK),
            (sameVersion.StatusCode, anyVersion.StatusCode, unchangedSince.StatusCode));
        Assert.Equal(StoredFiles.BigSize, (await sameVersion.Content.ReadAsByteArrayAsync()).Length);
    }

    // RFC 9110 §13.1.3-4: a date precondition is ignored beside the entity-tag one of its kind. A browser or CDN
    // revalidating with both got the whole file (or a 412) whenever the dates disagreed with a tag that matched.
    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task StoredFile_EntityTagPreconditions_OverrideTheDateOnes(string kind)
    {
        await using var cloud = await OpenAsync(kind);
        using var client = cloud.Factory.CreateClient();
        using var plain = await GetAsync(client, BigUrl, request => request.Method = HttpMethod.Head);
        var etag = plain.Headers.ETag!.ToString();

        using var matchingTagOlderDate = await GetAsync(client, BigUrl, request =>
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            request.Headers.TryAddWithoutValidation("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT");
        });
        using var sameVersionChangedSince = await GetAsync(client, BigUrl, request =>
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            request.Headers.TryAddWithoutValidation("If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT");
        });

        Assert.Equal(
            (HttpStatusCode.NotModified, HttpStatusCode.OK),
            (matchingTagOlderDate.StatusCode, sameVersionChangedSince.StatusCode));
        Assert.Empty(await matchingTagOlderDate.Content.ReadAsByteArrayAsync());
        Assert.Equal(StoredFiles.BigSize, sameVersionChangedSince.Content.Headers.ContentLength);
    }

    // RFC 9110 §13.1.5: an If-Range date holds only when it equals Last-Modified. A local file replaced by an older
    // copy (a restore, rsync -t) was sent as a range of the new bytes to a client resuming the old ones.
    [Fact]
    public async Task LocalFile_IfRangeNotNamingThisVersion_SendsTheWholeFile()
    {
        var folder = Directory.CreateTempSubdirectory("cdnproxy-ifrange-").FullName;
        try
        {
            var path = Path.Combine(folder, "doc.bin");
            await File.WriteAllTextAsync(path, new string('a', 1000));
            File.SetLastWriteTimeUtc(path, new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc));
            await using var factory = new CdnProxyFactory(new() { ["CdnProxy:Clouds:files:Origin:Type"] = "local", ["CdnProxy:Clouds:files:Origin:Root"] = folder });
            using var client = factory.CreateClient();
            const string Url = "/v2/files/original/doc.bin";
            using var first = await GetAsync(client, Url, request => request.Method = HttpMethod.Head);
            var firstModified = first.Content.Headers.LastModified!.Value.ToString("r", System.Globalization.CultureInfo.InvariantCulture);

            await File.WriteAllTextAsync(path, new string('b', 1000));
            File.SetLastWriteTimeUtc(path, new DateTime(2024, 4, 1, 12, 0, 0, DateTimeKind.Utc));
            using var resumedFromFormer = await GetAsync(client, Url, request =>
            {
                request.Headers.Range = new RangeHeaderValue(500, 999);
                request.Headers.TryAddWithoutValidation("If-Range", firstModified);
            });
            using var unreadableValidator = await GetAsync(client, Url, request =>
            {
                request.Headers.Range = new RangeHeaderValue(500, 999);
                request.Headers.TryAddWithoutValidation("If-Range", "not-a-validator");
            });
            using var resumedFromThis = await GetAsync(client, Url, request =>
            {
                request.Headers.Range = new RangeHeaderValue(500, 999);
                request.Headers.TryAddWithoutValidation("If-Range", "Mon, 01 Apr 2024 12:00:00 GMT");
            });

            Assert.Equal(
                (HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.PartialContent),
                (resumedFromFormer.StatusCode, unreadableValidator.StatusCode, resumedFromThis.StatusCode));
            Assert.Equal(new string('b', 1000), await resumedFromFormer.Content.ReadAsStringAsync());
            Assert.Equal(new string('b', 500), await resumedFromThis.Content.ReadAsStringAsync());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>An error answered for a stored file: no body, so no media type and nothing a cache may keep.</summary>
    private static async Task AssertEmptyErrorAsync(HttpResponseMessage response)
    {
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Null(response.Content.Headers.ContentType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.True(response.Content.Headers.ContentLength is null or 0);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, Action<HttpRequestMessage> configure)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        configure(request);
        return await client.SendAsync(request);
    }

    private static string Sign(string url) =>
        new Uri(UrlSigner.Sign("http://localhost" + url, 3600, CdnProxyFactory.SigningAccessKey, CdnProxyFactory.SigningToken, DateTimeOffset.UtcNow)).PathAndQuery;

    /// <summary>Cloud <c>files</c> on the stored files through one origin kind.</summary>
    private async Task<Cloud> OpenAsync(string kind)
    {
        Dictionary<string, string?> settings;
        RecordingOrigin? origin = null;
        switch (kind)
        {
            case "local":
                settings = new() { ["CdnProxy:Clouds:files:Origin:Type"] = "local", ["CdnProxy:Clouds:files:Origin:Root"] = files.Folder };
                break;
            case "s3":
                await files.EnsureUploadedAsync(s3);
                settings = s3.Settings("CdnProxy:Clouds:files:Origin", StoredFiles.S3Prefix);
                break;
            default:
                origin = await RecordingOrigin.StartAsync(files.Folder);
                settings = new()
                {
                    ["CdnProxy:Clouds:files:Origin:Type"] = "http",
                    ["CdnProxy:Clouds:files:Origin:BaseUrl"] = origin.Http.BaseUrl.ToString(),
                    ["CdnProxy:Clouds:files:Origin:AllowPrivateNetworks"] = "true",
                    ["CdnProxy:Clouds:files:Origin:AllowedHosts:0"] = "127.0.0.1",
                };
                break;
        }

        return new Cloud(new CdnProxyFactory(settings), origin);
    }

    private sealed record Cloud(CdnProxyFactory Factory, RecordingOrigin? Origin) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Factory.DisposeAsync();
            if (Origin is not null)
            {
                await Origin.Http.DisposeAsync();
            }
        }
    }
}

/// <summary>
/// A loopback HTTP origin serving a folder with ASP.NET Core's range processing, recording the headers it gets:
/// <c>/moved.mp4</c> redirects to the big file, <c>/offsite.mp4</c> to another host, <c>/broken.mp4</c> answers 500.
/// </summary>
internal sealed class RecordingOrigin
{
    private RecordingOrigin(LoopbackHttpOrigin http)
    {
        Http = http;
    }

    public LoopbackHttpOrigin Http { get; }

    public List<string> Headers { get; } = [];

    public static async Task<RecordingOrigin> StartAsync(string folder)
    {
        RecordingOrigin? origin = null;
        var http = await LoopbackHttpOrigin.StartAsync(context =>
        {
            lock (origin!.Headers)
            {
                origin.Headers.AddRange(context.Request.Headers.Select(header => $"{header.Key}: {header.Value}"));
            }

            var path = context.Request.Path.Value!;
            switch (path)
            {
                case "/moved.mp4":
                    context.Response.Redirect("/" + StoredFiles.Big);
                    return Task.CompletedTask;
                case "/offsite.mp4":
                    context.Response.Redirect("http://elsewhere.example/" + StoredFiles.Big);
                    return Task.CompletedTask;
                case "/broken.mp4":
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    return context.Response.WriteAsync("stack trace of the origin");
            }

            var file = Path.Combine(folder, path.TrimStart('/'));
            return File.Exists(file)
                ? Results.File(file, "video/mp4", enableRangeProcessing: true, lastModified: File.GetLastWriteTimeUtc(file),
                    entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue("\"origin-tag\"")).ExecuteAsync(context)
                : Results.NotFound().ExecuteAsync(context);
        });
        origin = new RecordingOrigin(http);
        return origin;
    }
}
