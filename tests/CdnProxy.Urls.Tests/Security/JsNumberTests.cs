using CdnProxy.Urls.Security;

namespace CdnProxy.Urls.Tests.Security;

public class JsNumberTests
{
    [Theory]
    // Node 20: String(x)
    [InlineData(1700003600d, "1700003600")]
    [InlineData(1700000001.5, "1700000001.5")]
    [InlineData(1700000001.1, "1700000001.1")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(123456789012345680000d, "123456789012345680000")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(-5d, "-5")]
    [InlineData(-0d, "0")]
    [InlineData(0.25, "0.25")]
    public void ToJsString_MatchesJavaScript(double value, string expected)
    {
        Assert.Equal(expected, JsNumber.ToJsString(value));
    }
}
