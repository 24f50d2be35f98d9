using System.Net;
using CdnProxy.Core.Pipeline;

namespace CdnProxy.Core.Tests.Pipeline;

public sealed class ClientLinesTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:a:b:c:d", "2001:db8:1::/56")]
    [InlineData("2001:db8:1:ff::9", "2001:db8:1::/56")]
    [InlineData("2001:db8:1:100::9", "2001:db8:1:100::/56")]
    [InlineData("2001:db8:1:1ff::9", "2001:db8:1:100::/56")]
    [InlineData("::1", "::/56")]
    public void KeyOf_IsTheIPv4Address_OrTheIPv6Network(string address, string key) =>
        Assert.Equal(key, ClientLines.KeyOf(IPAddress.Parse(address)));

    [Fact]
    public void KeyOf_NoAddress_IsTheSharedLine() => Assert.Null(ClientLines.KeyOf(null));
}
