using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Server.Jobs;
using CdnProxy.Server.Jobs.SixPx;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// An http(s) job input whose URL writes an address the job may not fetch is refused when the job is submitted (400),
/// not accepted and then failed when it runs; a host name is left to the connection's check (it may resolve anew).
/// </summary>
public sealed class JobInputAddressTests
{
    private static readonly JobsOptions PublicOnly = new();

    private static readonly JobsOptions PrivateAllowed = new() { AllowPrivateNetworks = true };

    [Theory]
    [InlineData("http://127.0.0.1/a.jpg")]
    [InlineData("http://localhost:8080/a.jpg")]
    [InlineData("http://[::1]/a.jpg")]
    [InlineData("http://10.1.2.3/a.jpg")]
    [InlineData("http://[::ffff:192.168.0.1]/a.jpg")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public void AnInputAtANonPublicAddress_IsRefusedOnSubmission(string url)
    {
        var e = Assert.Throws<CdnException>(() => SixPxJobRequest.Parse(Body(url), PublicOnly));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("input 'a'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    public void MetadataAddresses_AreRefusedEvenWherePrivateNetworksAreAllowed(string url)
    {
        Assert.Throws<CdnException>(() => SixPxJobRequest.Parse(Body(url), PrivateAllowed));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8199/a.jpg", true)]
    [InlineData("http://10.1.2.3/a.jpg", true)]
    [InlineData("https://93.184.215.14/a.jpg", false)]
    [InlineData("https://images.example.com/a.jpg", false)]
    public void AllowedAddressesAndHostNames_AreAccepted(string url, bool needsPrivateNetworks)
    {
        var request = SixPxJobRequest.Parse(Body(url), needsPrivateNetworks ? PrivateAllowed : PublicOnly);

        Assert.Equal(JobInputKind.Http, Assert.Single(request.Inputs).Kind);
    }

    private static JsonObject Body(string url) =>
        new()
        {
            ["input"] = new JsonObject { ["a"] = url },
            ["output"] = new JsonArray(new JsonObject { ["ref"] = new JsonObject { ["a"] = "a" } }),
        };
}
