using System.Net;
using System.Text.Json;
using CdnProxy.Server.Hosting;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Urls.Security;
using Microsoft.Extensions.Logging;

namespace CdnProxy.Server.Tests;

/// <summary>
/// Signing keys limited to clouds (<c>Signing:Keys:n:Clouds</c>), and unknown zones told only to signed URLs on clouds
/// that require signing. Two tenants: <c>secure</c> (the factory's, with zone <c>z-slug</c>) and <c>vault</c>, each
/// with its own key and custom domain; the factory's <c>ak-42</c> lists no clouds.
/// </summary>
public sealed class SigningScopeTests : IClassFixture<SigningScopeTests.TwoTenants>
{
    private const string Photo = "/t.resize(w:61)/photo-3mp-flower.jpg";
    private const string SecureKey = "ak-secure";
    private const string SecureToken = "tok-secure";
    private readonly CdnProxyFactory _factory;
    private readonly HttpClient _client;

    public SigningScopeTests(TwoTenants tenants)
    {
        _factory = tenants.Factory;
        _client = _factory.CreateClient();
    }

    [Fact]
    public async Task AKeyLimitedToACloud_SignsItsUrls_AndIsRefusedOnAnotherTenantsCloud_WithoutRendering()
    {
        var rendersBefore = _factory.Renderer.Renders;

        using var other = await _client.GetAsync(Sign("/v2/vault" + Photo, SecureKey, SecureToken));
        var rendersAfterOther = _factory.Renderer.Renders;
        using var own = await _client.GetAsync(Sign("/v2/secure" + Photo, SecureKey, SecureToken));

        await AssertRefusedAsWrongSignatureAsync(other);
        Assert.Equal(rendersBefore, rendersAfterOther);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task AKeyListingNoClouds_SignsForEveryCloud()
    {
        using var secure = await _client.GetAsync(Sign("/v2/secure" + Photo, CdnProxyFactory.SigningAccessKey, CdnProxyFactory.SigningToken));
        using var vault = await _client.GetAsync(Sign("/v2/vault" + Photo, CdnProxyFactory.SigningAccessKey, CdnProxyFactory.SigningToken));

        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal(HttpStatusCode.OK, vault.StatusCode);
    }

    [Fact]
    public async Task AUrlSignedForOneTenantsCustomDomain_IsRefusedOnAnothersDomain()
    {
        // Custom-domain URLs carry no cloud, so the same signed path and query are sent to both hosts.
        var signed = Sign("/v2" + Photo, SecureKey, SecureToken);

        using var own = await GetOnHostAsync("secure.example.test", signed);
        using var other = await GetOnHostAsync("vault.example.test", signed);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        await AssertRefusedAsWrongSignatureAsync(other);
    }

    [Theory]
    [InlineData("/v2/secure/nozone" + Photo, null)]
    [InlineData("/v2/secure/nozone/p:thumb/photo-3mp-flower.jpg", null)] // a preset
    [InlineData("/v2/secure/nozone/wrkr/t.resize(w:61)/photo-3mp-flower.jpg", null)] // a worker URL
    [InlineData("/v2/nozone" + Photo, "secure.example.test")] // a custom domain
    public async Task AnUnknownZone_OnACloudThatRequiresSigning_IsAnsweredAsAKnownZoneIs_UntilTheUrlIsSigned(string path, string? host)
    {
        var knownZonePath = path.Replace("nozone", "z-slug", StringComparison.Ordinal);

        using var unsignedUnknown = await GetOnHostAsync(host, path);
        using var unsignedKnown = await GetOnHostAsync(host, knownZonePath);
        using var wronglySigned = await GetOnHostAsync(host, Sign(path, SecureKey, "not-the-token"));
        using var signed = await GetOnHostAsync(host, Sign(path, SecureKey, SecureToken));

        Assert.Equal(HttpStatusCode.Unauthorized, unsignedKnown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsignedUnknown.StatusCode);
        Assert.Equal(await unsignedKnown.Content.ReadAsStringAsync(), await unsignedUnknown.Content.ReadAsStringAsync());
        await AssertRefusedAsWrongSignatureAsync(wronglySigned);
        Assert.Equal(HttpStatusCode.NotFound, signed.StatusCode);
    }

    [Fact]
    public async Task AnUnknownZone_OnACloudThatDoesNotRequireSigning_Is404_EvenWithABadSignature()
    {
        using var unsigned = await _client.GetAsync("/v2/demo/nozone" + Photo);
        using var wronglySigned = await _client.GetAsync(Sign("/v2/demo/nozone" + Photo, SecureKey, "not-the-token"));

        Assert.Equal(HttpStatusCode.NotFound, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wronglySigned.StatusCode);
    }

    [Fact]
    public void KeysForEveryCloud_AmongSeveralClouds_AreWarnedAboutOnce()
    {
        var warning = Assert.Single(_factory.Logs.Lines, line => line.StartsWith("5014 ", StringComparison.Ordinal));
        Assert.Contains(CdnProxyFactory.SigningAccessKey, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(SecureKey, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(CdnProxyFactory.SigningToken, warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, false, 0)] // one cloud: a key for every cloud is the only sensible one
    [InlineData(2, false, 1)]
    [InlineData(2, true, 0)] // every key lists its clouds
    public async Task TheWarning_NeedsSeveralCloudsAndAKeyListingNone(int clouds, bool keysListClouds, int warnings)
    {
        var options = new CdnProxyOptions();
        for (var i = 0; i < clouds; i++)
        {
            options.Clouds[$"cloud{i}"] = new CloudOptions();
        }

        options.Signing.Keys.Add(new SigningKeyOptions { AccessKey = "ak-1", Token = "tok-1", Clouds = keysListClouds ? ["cloud0"] : [] });
        options.Signing.Keys.Add(new SigningKeyOptions { AccessKey = "ak-2", Token = "tok-2", Clouds = ["cloud0"] });
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(logs));

        await new KeyScopeCheck(options, loggers.CreateLogger<KeyScopeCheck>()).StartAsync(CancellationToken.None);

        Assert.Equal(warnings, logs.Lines.Count(line => line.StartsWith("5014 ", StringComparison.Ordinal)));
    }

    private async Task<HttpResponseMessage> GetOnHostAsync(string? host, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return await _client.SendAsync(request);
    }

    private static async Task AssertRefusedAsWrongSignatureAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("signature_invalid", body.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    private static string Sign(string pathAndQuery, string accessKey, string token) =>
        new Uri(UrlSigner.Sign("http://localhost" + pathAndQuery, 3600, accessKey, token, DateTimeOffset.UtcNow)).PathAndQuery;

    /// <summary>The factory's clouds, plus the tenant <c>vault</c>; <c>secure</c> and <c>vault</c> each get a key and a domain.</summary>
    public sealed class TwoTenants : IDisposable
    {
        public CdnProxyFactory Factory { get; } = new(new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:vault:Origin:Type"] = "local",
            ["CdnProxy:Clouds:vault:Origin:Root"] = CdnProxy.Tests.Common.TestImages.SamplesFolder,
            ["CdnProxy:Clouds:vault:RequireSignedUrls"] = "true",
            ["CdnProxy:Clouds:secure:Zones:z-slug:Origin:Type"] = "local",
            ["CdnProxy:Clouds:secure:Zones:z-slug:Origin:Root"] = CdnProxy.Tests.Common.TestImages.SamplesFolder,
            ["CdnProxy:CustomDomains:secure.example.test"] = "secure",
            ["CdnProxy:CustomDomains:vault.example.test"] = "vault",
            ["CdnProxy:Signing:Keys:2:AccessKey"] = SecureKey,
            ["CdnProxy:Signing:Keys:2:Token"] = SecureToken,
            ["CdnProxy:Signing:Keys:2:Clouds:0"] = "secure",
            ["CdnProxy:Signing:Keys:3:AccessKey"] = "ak-vault",
            ["CdnProxy:Signing:Keys:3:Token"] = "tok-vault",
            ["CdnProxy:Signing:Keys:3:Clouds:0"] = "vault",
        });

        public void Dispose() => Factory.Dispose();
    }
}
