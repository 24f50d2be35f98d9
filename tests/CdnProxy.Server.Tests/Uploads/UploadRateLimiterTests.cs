using System.Net;
using CdnProxy.Server.Uploads;
using Microsoft.AspNetCore.Http;

namespace CdnProxy.Server.Tests.Uploads;

public sealed class UploadRateLimiterTests
{
    [Fact]
    public void WithoutAKey_AClient_IsItsAddress_AnIPv6OneItsSlash56_AsInTheRenderQueue()
    {
        // One home holds a whole /56: counted per address (or /64), it could take a fresh budget for every call.
        Assert.Equal(PartitionOf("2001:db8:1:2::1"), PartitionOf("2001:db8:1:2:abcd:ef01:2345:6789"));
        Assert.Equal(PartitionOf("2001:db8:1:2::1"), PartitionOf("2001:db8:1:ff::1"));
        Assert.NotEqual(PartitionOf("2001:db8:1:2::1"), PartitionOf("2001:db8:1:102::1"));
        Assert.Equal(PartitionOf("198.51.100.7"), PartitionOf("::ffff:198.51.100.7"));
        Assert.NotEqual(PartitionOf("198.51.100.7"), PartitionOf("198.51.100.8"));
    }

    [Fact]
    public void WithAKey_TheKeyDecides_NotTheAddress() =>
        Assert.Equal(UploadRateLimiter.Partition("key-1", Context("198.51.100.7")), UploadRateLimiter.Partition("key-1", Context("2001:db8::1")));

    private static string PartitionOf(string address) => UploadRateLimiter.Partition(null, Context(address));

    private static DefaultHttpContext Context(string address)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return context;
    }
}
