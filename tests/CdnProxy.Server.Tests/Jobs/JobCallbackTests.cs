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
