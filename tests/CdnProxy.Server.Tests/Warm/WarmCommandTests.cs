using System.Net;
using System.Text.Json.Nodes;
using CdnProxy.Cli;
using CdnProxy.Cli.Warm;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Warm;

/// <summary><c>cdnproxy warm</c> against the real server as a process: 500 distinct URLs rendered, then all cache hits.</summary>
public sealed class WarmCommandTests : IDisposable
{
    private const int Urls = 500;
    private readonly string _data = Directory.CreateTempSubdirectory("cdnproxy-warm-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    /// <summary>A server whose cloud <c>warm</c> serves the committed test images; memory cache on, as shipped.</summary>
    private Task<ServerProcess> StartServerAsync() => ServerProcess.StartAsync(new Dictionary<string, string>
    {
        ["CdnProxy:DataDirectory"] = _data,
        ["CdnProxy:Clouds:warm:Origin:Type"] = "local",
        ["CdnProxy:Clouds:warm:Origin:Root"] = TestImages.AssetsFolder,
    });

    [Fact]
    public async Task Warm_500Urls_Reports500Of500_AndLeavesThemAsCacheHits()
    {
        using var server = await StartServerAsync();
        var list = Path.GetTempFileName();
        var report = Path.GetTempFileName();
        try
        {
            // 500 different renditions: widths 10–509 of a small image.
            await File.WriteAllLinesAsync(list, Enumerable.Range(10, Urls).Select(w => new Uri(server.Address, $"/v2/warm/t.resize(w:{w})~t.toFormat(f:jpeg)/bpp-lossless.webp").AbsoluteUri));
            using var http = new HttpClient();
            using var output = new StringWriter();
            using var error = new StringWriter();

            var exit = await WarmCommand.RunAsync(
                new WarmRequest(list, null, null, null, null, null, report), new WarmOptions { Concurrency = 8 }, http, TextReader.Null, output, error, default);
            var first = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
            using var again = new StringWriter();
            var secondExit = await WarmCommand.RunAsync(
                new WarmRequest(list, null, null, null, null, null, "-"), new WarmOptions(), http, TextReader.Null, again, TextWriter.Null, default);
            var second = JsonNode.Parse(again.ToString())!;

            Assert.Equal(0, exit);
            Assert.Contains($"{Urls}/{Urls}", output.ToString(), StringComparison.Ordinal);
            // Progress without a terminal: a line at every tenth.
            Assert.Equal(10, error.ToString().Split('\n').Count(l => l.StartsWith("warmed ", StringComparison.Ordinal)));
            Assert.Contains($"warmed {Urls}/{Urls} (0 failed)", error.ToString(), StringComparison.Ordinal);
            Assert.Equal((Urls, 0), ((int)first["succeeded"]!, (int)first["failed"]!));
            Assert.Equal(Urls, (int)first["cache"]!["miss"]!);
            Assert.Equal(0, secondExit);
            Assert.Equal(Urls, (int)second["cache"]!["hit"]!);
        }
        finally
        {
            File.Delete(list);
            File.Delete(report);
        }
    }

    [Fact]
    public async Task AFailedUrl_GivesANonZeroExitCode_AndIsListed()
    {
        using var server = await StartServerAsync();
        using var http = new HttpClient();
        using var output = new StringWriter();
        using var input = new StringReader(string.Join('\n',
            new Uri(server.Address, "/v2/warm/t.resize(w:20)/bpp-lossless.webp").AbsoluteUri,
            new Uri(server.Address, "/v2/warm/t.resize(w:20)/missing.webp").AbsoluteUri,
            "/v2/warm/original/relative.webp"));
        using var error = new StringWriter();

        var exit = await WarmCommand.RunAsync(new WarmRequest("-", null, null, null, null, null, null), new WarmOptions(), http, input, output, error, default);

        Assert.Equal(WarmCommand.FailedExitCode, exit);
        Assert.StartsWith("invalid: /v2/warm/original/relative.webp", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("1/3", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("missing.webp (HTTP 404, 1 attempt(s))", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACloudThatRequiresSignedUrls_IsWarmedBySigning_AndTheRenditionServesOtherSignedUrls()
    {
        const string Token = "warm-token-0123456789abcdef";
        using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["CdnProxy:DataDirectory"] = _data,
            ["CdnProxy:Clouds:signed:Origin:Type"] = "local",
            ["CdnProxy:Clouds:signed:Origin:Root"] = TestImages.AssetsFolder,
            ["CdnProxy:Clouds:signed:RequireSignedUrls"] = "true",
            ["CdnProxy:Signing:Keys:0:AccessKey"] = "warm-key",
            ["CdnProxy:Signing:Keys:0:Token"] = Token,
        });
        var urls = Enumerable.Range(20, 5).Select(w => new Uri(server.Address, $"/v2/signed/t.resize(w:{w})/bpp-lossless.webp").AbsoluteUri).ToList();
        using var http = new HttpClient();

        var (unsignedExit, unsigned) = await WarmAsync(http, urls, new WarmOptions());
        var (signedExit, signed) = await WarmAsync(http, urls, new WarmOptions { Signing = new WarmSigning("warm-key", Token, 300) });
        using var later = await http.GetAsync(new WarmSigning("warm-key", Token, 3600).Sign(urls[0], TimeProvider.System));

        Assert.Equal((WarmCommand.FailedExitCode, 0), (unsignedExit, (int)unsigned["succeeded"]!));
        Assert.All(unsigned["results"]!.AsArray(), r => Assert.Equal(401, (int)r!["status"]!));
        Assert.Equal((0, 5), (signedExit, (int)signed["cache"]!["miss"]!));
        Assert.Equal(urls, signed["results"]!.AsArray().Select(r => (string)r!["url"]!)); // reported as given, unsigned
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(CacheOutcome.Hit, CacheOutcome.Of(later));
    }

    private static async Task<(int Exit, JsonNode Report)> WarmAsync(HttpClient http, IReadOnlyList<string> urls, WarmOptions options)
    {
        using var input = new StringReader(string.Join('\n', urls));
        using var output = new StringWriter();
        var exit = await WarmCommand.RunAsync(new WarmRequest("-", null, null, null, null, null, "-"), options, http, input, output, TextWriter.Null, default);
        return (exit, JsonNode.Parse(output.ToString())!);
    }
}
