using CdnProxy.Server.Telemetry;
using Microsoft.Extensions.Configuration;

namespace CdnProxy.Server.Tests.Telemetry;

public sealed class ManagementListenerTests
{
    [Theory]
    [InlineData("http://0.0.0.0:9464", 9464)]
    [InlineData("http://*:9464", 9464)]
    [InlineData("http://127.0.0.1:9464/", 9464)]
    [InlineData(" https://[::1]:9465 ", 9465)]
    public void Parse_ListenerUrlWithItsOwnPort_IsAccepted(string url, int port)
    {
        var failures = new List<string>();

        var parsed = ManagementListener.Parse(url, ["http://0.0.0.0:8080"], failures);

        Assert.Empty(failures);
        Assert.Equal(port, Assert.Single(parsed).Port);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", "also a public port")]
    [InlineData("http://*:8080", "also a public port")]
    [InlineData("http://127.0.0.1:0", "explicit port")]
    [InlineData("http://127.0.0.1", "explicit port")]
    [InlineData("https://[::1]/", "explicit port")]
    [InlineData("ftp://127.0.0.1:9464", "not an http(s) listener URL")]
    [InlineData("http://127.0.0.1:9464/metrics", "not an http(s) listener URL")]
    [InlineData("localhost:9464", "not an http(s) listener URL")]
    public void Parse_UnusableUrl_NamesTheSettingAndWhy(string url, string reason)
    {
        var failures = new List<string>();

        var parsed = ManagementListener.Parse(url, ["http://+:8080"], failures);

        Assert.Empty(parsed);
        var failure = Assert.Single(failures);
        Assert.StartsWith("CdnProxy:Management:Urls", failure, StringComparison.Ordinal);
        Assert.Contains(reason, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralUrls_KeepsEachAndNothingForAnEmptySetting()
    {
        var failures = new List<string>();

        Assert.Equal([9464, 9465], ManagementListener.Parse("http://127.0.0.1:9464;http://[::1]:9465", [], failures).Select(u => u.Port));
        Assert.Empty(ManagementListener.Parse(null, [], failures));
        Assert.Empty(ManagementListener.Parse(" ", [], failures));
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080;http://127.0.0.1:8081", null, "http://127.0.0.1:8080|http://127.0.0.1:8081")]
    [InlineData(null, "8080;8081", "http://*:8080|http://*:8081")]
    [InlineData(null, null, "http://localhost:5000")]
    public void PublicUrls_AsAspNetCoreWouldBindThem(string? urls, string? httpPorts, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls, ["http_ports"] = httpPorts })
            .Build();

        Assert.Equal(expected.Split('|'), TelemetryRegistration.PublicUrls(configuration));
    }
}
