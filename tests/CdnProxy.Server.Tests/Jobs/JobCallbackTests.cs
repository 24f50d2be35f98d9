using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Server.Jobs;
using CdnProxy.Server.Jobs.SixPx;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>A job's webhook address is refused when the job is made if nothing could ever be delivered to it.</summary>
public sealed class JobCallbackTests
{
    private static readonly JobsOptions PublicOnly = new() { WebhookSecret = SixPxJobTests.Secret };

    [Theory]
    [InlineData("http://127.0.0.1:8199/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://2130706433/hook")] // 127.0.0.1 written as one number
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[::ffff:a9fe:a9fe]/latest/meta-data")] // 169.254.169.254, mapped
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://0x7f.1/hook")]
    public void AnAddressThatIsNotPublic_IsRefusedWhenTheJobIsMade(string url)
    {
        var e = Assert.Throws<CdnException>(() => JobCallback.Parse(url, "webhook", PublicOnly));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("not allowed", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://hooks.example.com/in")] // a name: checked when resolved, at each attempt
    [InlineData("https://93.184.215.14/in")]
    public void APublicAddressOrAName_IsAccepted(string url) => Assert.Equal(url, JobCallback.Parse(url, "webhook", PublicOnly));

    /// <summary>
    /// Where private networks are allowed, a link-local or cloud metadata address is still refused at connect time
    /// (no webhook can ever reach it); it was accepted when the job was made, and its webhook failed four times later.
    /// </summary>
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data")]
    [InlineData("http://[::ffff:169.254.169.254]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    public void AMetadataOrLinkLocalAddress_IsRefusedEvenWherePrivateNetworksAreAllowed(string url)
    {
        var e = Assert.Throws<CdnException>(() => JobCallback.Parse(url, "webhook", new JobsOptions { WebhookSecret = SixPxJobTests.Secret, AllowPrivateNetworks = true }));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("not allowed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMetadataCallback_IsA400OnTheServer_WherePrivateNetworksAreAllowed()
    {
        await using var server = await JobFaceServer.StartAsync(JobFaceServer.Settings());
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["a"] = server.Receiver.Url("a.jpg") },
            ["output"] = new JsonArray(new JsonObject { ["pattern"] = "t.resize(w:64)" }),
            ["callback"] = new JsonObject { ["url"] = "http://169.254.169.254/latest/meta-data/iam/security-credentials/" },
        };

        var (response, json) = await server.Client.ApiAsync(HttpMethod.Post, "/api/v1/jobs", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var (list, jobs) = await server.Client.ApiAsync(HttpMethod.Get, "/api/v1/jobs");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not allowed", json!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("0", list.Headers.GetValues("X-Total-Count").Single());
    }

    [Fact]
    public void PrivateAddresses_AreAcceptedWhereTheServerAllowsThem() =>
        Assert.NotNull(JobCallback.Parse("http://127.0.0.1:8199/hook", "webhook", new JobsOptions { WebhookSecret = SixPxJobTests.Secret, AllowPrivateNetworks = true }));

    [Theory]
    [InlineData("\"https://hooks.example.com/in\"")]
    [InlineData("{\"url\":5}")]
    [InlineData("{}")]
    [InlineData("[]")]
    public void A6pxCallbackInAnotherShape_IsRefused_NotDropped(string callback)
    {
        var body = JsonNode.Parse($"{{\"input\":{{\"a\":\"https://images.example.com/a.jpg\"}},\"output\":[{{\"ref\":{{\"a\":\"a\"}}}}],\"callback\":{callback}}}")!.AsObject();

        var e = Assert.Throws<CdnException>(() => SixPxJobRequest.Parse(body, PublicOnly));

        Assert.Contains("callback", e.Message, StringComparison.Ordinal);
    }
}
