using CdnProxy.Server.Hosting;

namespace CdnProxy.Server.Tests;

/// <summary>The key-path checker the deployment tests rely on: it must accept what binds and name what does not.</summary>
public sealed class OptionPathsTests
{
    [Theory]
    [InlineData("Cache:Memory:MaxBytes")]
    [InlineData("cache:memory:maxbytes")]
    [InlineData("Clouds:any-cloud:Origin:Root")]
    [InlineData("Clouds:demo:Zones:abc123:Worker:Rules:0:Pattern")]
    [InlineData("Signing:Keys:3:Token")]
    [InlineData("Presets:thumb:Variables:size:Values:0")]
    [InlineData("CustomDomains:img.example.com")]
    [InlineData("Signing:Keys")]
    public void PathsThatBindAreAccepted(string path)
    {
        Assert.Null(OptionPaths.FirstUnknownPrefix(typeof(CdnProxyOptions), path.Split(':')));
    }

    [Theory]
    [InlineData("Cache:Memory:MaxBites", "Cache:Memory:MaxBites")]
    [InlineData("Nope:Deeper:Still", "Nope")]
    [InlineData("Http:CacheControl:Extra", "Http:CacheControl:Extra")]
    [InlineData("Signing:Keys:first:Token", "Signing:Keys:first")]
    [InlineData("Clouds:demo:Origin:Root:Sub", "Clouds:demo:Origin:Root:Sub")]
    public void ThePathsFirstUnknownPrefixIsReported(string path, string expected)
    {
        Assert.Equal(expected, OptionPaths.FirstUnknownPrefix(typeof(CdnProxyOptions), path.Split(':')));
    }

    [Fact]
    public void EverySettingHasASetter_TheGeneratedBinderSkipsInitOnlyProperties()
    {
        Assert.Empty(OptionPaths.InitOnly(typeof(CdnProxyOptions)));
    }

    [Fact]
    public void InitOnlyPropertiesAreFound()
    {
        Assert.Contains("RenderLockOptions.Ttl", OptionPaths.InitOnly(typeof(CdnProxy.Core.Caching.RenderLockOptions)));
    }
}
