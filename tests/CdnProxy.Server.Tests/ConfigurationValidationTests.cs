using Microsoft.Extensions.Options;

namespace CdnProxy.Server.Tests;

public sealed class ConfigurationValidationTests
{
    [Theory]
    [InlineData("CdnProxy:Clouds:demo:Origin:Type", "ftp", "Type 'ftp' is not supported")]
    [InlineData("CdnProxy:Clouds:demo:Origin:Root", "/definitely/not/here", "does not exist")]
    [InlineData("CdnProxy:Vips:Concurrency", "0", "Concurrency must be at least 1")]
    public void BadConfiguration_StopsStartupWithAClearMessage(string key, string value, string expected)
    {
        using var factory = new CdnProxyFactory(new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
