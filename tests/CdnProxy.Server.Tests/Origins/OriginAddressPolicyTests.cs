using System.Net;
using CdnProxy.Server.Origins.Http;

namespace CdnProxy.Server.Tests.Origins;

public sealed class OriginAddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("10.0.0.5")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("192.0.0.8")]
    [InlineData("198.18.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:7f00:1::")]
    [InlineData("2002:a00:1::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("fe80::1")]
    [InlineData("febf::1")]
    [InlineData("fc00::1")]
    [InlineData("fd00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    public void InternalOrSpecialAddresses_AreNotPublic(string address)
    {
        Assert.False(OriginAddressPolicy.IsPublic(IPAddress.Parse(address)));
        Assert.False(OriginAddressPolicy.PublicOnly.Allows(new IPEndPoint(IPAddress.Parse(address), 80)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2002:808:808::1")]
    [InlineData("64:ff9b::808:808")]
    public void PublicAddresses_AreAllowed(string address)
    {
        Assert.True(OriginAddressPolicy.IsPublic(IPAddress.Parse(address)));
        Assert.True(OriginAddressPolicy.PublicOnly.Allows(new IPEndPoint(IPAddress.Parse(address), 443)));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.0.0.5", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:192.168.0.1", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:0.0.0.0", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("169.254.170.2", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("fd00:ec2::253", true)]
    [InlineData("100.100.100.200", false)]
    [InlineData("100.100.100.201", true)]
    public void AllowPrivateNetworks_AdmitsPrivateUnicastButNeverUnspecifiedMulticastLinkLocalOrMetadata(string address, bool allowed)
    {
        Assert.Equal(allowed, OriginAddressPolicy.AnyUnicast.Allows(new IPEndPoint(IPAddress.Parse(address), 80)));
    }

    [Theory]
    [InlineData("images.example.com", true)]
    [InlineData("IMAGES.example.com.", true)]
    [InlineData("cdn.assets.example.com", true)]
    [InlineData("assets.example.com", false)]
    [InlineData("images.example.com.evil.com", false)]
    [InlineData("evilimages.example.com", false)]
    [InlineData("example.com", false)]
    public void AllowedHosts_MatchExactNamesAndWildcardSubdomains(string host, bool allowed)
    {
        var hosts = new OriginHostList(["images.example.com", "*.assets.example.com"]);

        Assert.Equal(allowed, hosts.Allows(host));
    }
}
