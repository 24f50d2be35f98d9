using System.Net;
using CdnProxy.Urls.Client;

namespace CdnProxy.Server.Tests;

/// <summary>
/// URLs built by the client library (what <c>cdnproxy build</c> prints) fetch exactly the file they were built for,
/// from a local folder through Kestrel, which decodes the request path as production does (the test host does not).
/// </summary>
public sealed class BuiltUrlTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cdnproxy-built-").FullName;
    private readonly CdnProxyFactory _factory;
    private readonly HttpClient _client;

    public BuiltUrlTests()
    {
        // The cloud's root is a subfolder, so that a file beside it can show that nothing climbs out of the root.
        var root = Directory.CreateDirectory(Path.Combine(_folder, "root")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "a"));
        File.WriteAllText(Path.Combine(root, "a", "b.txt"), "the file b.txt in the folder a");
        File.WriteAllText(Path.Combine(root, "a%2Fb.txt"), "the file named a%2Fb.txt");
        File.WriteAllText(Path.Combine(root, "a#b?c.txt"), "the file named a#b?c.txt");
        File.WriteAllText(Path.Combine(_folder, "outside.txt"), "a file outside the cloud's root");
        _factory = new CdnProxyFactory(new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:files:Origin:Type"] = "local",
            ["CdnProxy:Clouds:files:Origin:Root"] = root,
        });
        _factory.UseKestrel(0);
        _factory.StartServer();
        _client = _factory.CreateClient();
    }

    [Theory]
    [InlineData("a/b.txt", "the file b.txt in the folder a")]
    [InlineData("a%252Fb.txt", "the file named a%2Fb.txt")]
    [InlineData("a#b?c.txt", "the file named a#b?c.txt")]
    public async Task BuiltUrl_FetchesThatFile(string filePath, string content)
    {
        using var response = await _client.GetAsync(new Uri(Build(filePath)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EscapedSlash_IsKeptAsTextByTheServer_SoTheBuilderRefusesIt()
    {
        // What the builder would have written for 'a%2Fb.txt': the server reads the file named so, not a/b.txt.
        using var response = await _client.GetAsync(new Uri(_client.BaseAddress!, "/v2/files/original/a%2Fb.txt"));

        Assert.Equal("the file named a%2Fb.txt", await response.Content.ReadAsStringAsync());
        Assert.Throws<PixelbinUrlException>(() => Build("a%2Fb.txt"));
    }

    [Theory]
    [InlineData("..%252Foutside.txt")]
    [InlineData("a/..%252F..%252Foutside.txt")]
    public async Task BuiltUrl_OfANameThatSpellsAClimb_StaysInTheRoot(string filePath)
    {
        using var response = await _client.GetAsync(new Uri(Build(filePath)));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("a file outside the cloud's root", await response.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string Build(string filePath) =>
        PixelbinUrls.ObjToUrl(new PixelbinUrlObject { CloudName = "files", FilePath = filePath, BaseUrl = _client.BaseAddress!.AbsoluteUri });
}
