using System.Net;
using System.Net.Sockets;
using System.Text;
using CdnProxy.Urls.Security;

namespace CdnProxy.Server.Tests;

/// <summary>
/// Signed URLs through Kestrel, which decodes the request path as production does (the test host does not): one
/// signature serves the one file it was made for, whatever form the request target takes.
/// </summary>
public sealed class SignedUrlOnKestrelTests : IDisposable
{
    private const string SpaceName = "the file named 'a b.txt'";
    private const string EscapeName = "the file named 'a%20b.txt'";

    private readonly string _root = Directory.CreateTempSubdirectory("cdnproxy-signed-kestrel-").FullName;
    private readonly CdnProxyFactory _factory;
    private readonly HttpClient _client;

    public SignedUrlOnKestrelTests()
    {
        File.WriteAllText(Path.Combine(_root, "a b.txt"), SpaceName);
        File.WriteAllText(Path.Combine(_root, "a%20b.txt"), EscapeName);
        _factory = new CdnProxyFactory(new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:files:Origin:Type"] = "local",
            ["CdnProxy:Clouds:files:Origin:Root"] = _root,
            ["CdnProxy:Clouds:files:RequireSignedUrls"] = "true",
        });
        _factory.UseKestrel(0);
        _factory.StartServer();
        _client = _factory.CreateClient();
    }

    [Fact]
    public async Task TheSignatureOfAFileNamedWithASpace_ServesThatFile()
    {
        using var response = await _client.GetAsync(new Uri(_client.BaseAddress!, SignedSpaceFile()));

        Assert.Equal(SpaceName, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheSignatureOfAFileNamedWithASpace_DoesNotServeTheFileNamedWithItsEscape()
    {
        // The JS signed string of "a b.txt" is ".../a%2520b.txt": read raw, the request path of the file "a%20b.txt".
        var target = SignedSpaceFile().Replace("a%20b.txt", "a%2520b.txt", StringComparison.Ordinal);

        using var response = await _client.GetAsync(new Uri(_client.BaseAddress!, target));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("a%20b.txt", "200", SpaceName)]
    [InlineData("a%2520b.txt", "401", "signature_invalid")]
    public async Task AnAbsoluteFormTarget_IsVerifiedAsSent(string sentName, string status, string body)
    {
        // "GET http://host/v2/...": the path was verified re-encoded from its decoded form, so "a%2520b.txt" was
        // checked as "a%20b.txt" (the signature of "a b.txt") and the file "a%20b.txt" served.
        var authority = _client.BaseAddress!.Authority;
        var target = $"http://{authority}" + SignedSpaceFile().Replace("a%20b.txt", sentName, StringComparison.Ordinal);

        var response = await SendRawAsync($"GET {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith($"HTTP/1.1 {status} ", response, StringComparison.Ordinal);
        Assert.Contains(body, response, StringComparison.Ordinal);
    }

    private static string SignedSpaceFile() =>
        new Uri(UrlSigner.Sign("http://localhost/v2/files/original/a b.txt", 3600, CdnProxyFactory.SigningAccessKey, CdnProxyFactory.SigningToken, DateTimeOffset.UtcNow)).PathAndQuery;

    private async Task<string> SendRawAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _client.BaseAddress!.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
